import { DocumentError } from './errors';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes a file's bytes as UTF-8 text with `\n` line endings. The UTF-8 byte order mark is dropped; UTF-16, other
 * encodings and binary files are refused with a `DocumentError` naming the file, so one bad file never stops a run.
 */
export function decodeDocument(bytes: Uint8Array, source: string): string {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    throw new DocumentError('not_utf8', source, `${source} is UTF-16 text, not UTF-8: convert it (iconv -f UTF-16 -t UTF-8) and ingest it again`);
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Byte(bytes);
    throw new DocumentError(
      'not_utf8',
      source,
      `${source} is not UTF-8 text (invalid byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset}): ` +
        'convert it, e.g. iconv -f latin1 -t UTF-8',
    );
  }
  if (text.includes('\u0000')) throw new DocumentError('binary', source, `${source} looks binary (it contains NUL bytes)`);
  return normalizeLineEndings(text);
}

/** `\r\n` (Windows) and lone `\r` (old Mac) become `\n`. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** Offset of the first byte that breaks UTF-8 (for the error message only). */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] as number;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (length === 0) return index;
    for (let next = 1; next < length; next += 1) {
      const byte = bytes[index + next];
      if (byte === undefined || (byte & 0xc0) !== 0x80) return index;
    }
    index += length;
  }
  return index;
}
