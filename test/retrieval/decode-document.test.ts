import { decodeDocument } from '../../ingest/decode-document';
import { DocumentError } from '../../ingest/errors';

function errorOf(action: () => unknown): DocumentError {
  try {
    action();
  } catch (error) {
    if (error instanceof DocumentError) return error;
    throw error;
  }
  throw new Error('expected a DocumentError');
}

describe('decodeDocument', () => {
  it('decodes UTF-8, drops the byte order mark and turns CRLF and CR line endings into LF', () => {
    // Prepare
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Café\r\nline two\rline three\n', 'utf8')]);

    // Act
    const text = decodeDocument(bytes, 'notes.md');

    // Assess
    expect(text).toBe('Café\nline two\nline three\n');
  });

  it('refuses a Latin-1 file with an error naming the file, the byte and its offset', () => {
    // Prepare
    const bytes = Buffer.from('caf\xe9 au lait', 'latin1');

    // Act
    const error = errorOf(() => decodeDocument(bytes, 'knowledge/menu.md'));

    // Assess
    expect({ name: error.name, code: error.code, source: error.source, message: error.message }).toStrictEqual({
      name: 'DocumentError',
      code: 'not_utf8',
      source: 'knowledge/menu.md',
      message: 'knowledge/menu.md is not UTF-8 text (invalid byte 0xe9 at offset 3): convert it, e.g. iconv -f latin1 -t UTF-8',
    });
  });

  it('refuses UTF-16 and binary files', () => {
    // Act
    const utf16 = errorOf(() => decodeDocument(Buffer.from('\ufeffhello', 'utf16le'), 'a.txt'));
    const binary = errorOf(() => decodeDocument(Buffer.from([0x68, 0x00, 0x69]), 'b.txt'));

    // Assess
    expect([utf16.code, utf16.message]).toStrictEqual(['not_utf8', 'a.txt is UTF-16 text, not UTF-8: convert it (iconv -f UTF-16 -t UTF-8) and ingest it again']);
    expect([binary.code, binary.message]).toStrictEqual(['binary', 'b.txt looks binary (it contains NUL bytes)']);
  });
});
