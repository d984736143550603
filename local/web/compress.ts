import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** The encodings CloudFront compresses with, in the order it prefers them when a browser accepts both. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** CloudFront compresses only objects of at least 1,000 bytes (and at most 10,000,000). */
export const COMPRESSION_LIMITS = { minBytes: 1_000, maxBytes: 10_000_000 } as const;

/** Content types CloudFront compresses (the text ones among those it lists), by the type without its parameters. */
const COMPRESSIBLE_TYPES = new Set(['text/html', 'text/javascript', 'text/css', 'text/plain', 'application/json', 'image/svg+xml', 'image/x-icon']);

export function isCompressible(contentType: string): boolean {
  return COMPRESSIBLE_TYPES.has(contentType.split(';')[0]?.trim().toLowerCase() ?? '');
}

/** The encoding to answer with for an `Accept-Encoding` header (q-values honoured), or undefined for none. */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = parameters.map((parameter) => /^\s*q=([0-9.]+)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const quality = (encoding: Encoding): number => accepted.get(encoding) ?? accepted.get('*') ?? 0;
  return ENCODINGS.find((encoding) => quality(encoding) > 0);
}

const COMPRESS: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  gzip: (body) => promisify(gzip)(body, { level: constants.Z_BEST_COMPRESSION }),
};

/** Compressed bodies by encoding and content hash: the page's files change only when the runtime rebuilds them. */
const cache = new Map<string, Buffer>();
const CACHE_ENTRIES = 64;

export async function compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
  const key = `${encoding}:${createHash('sha256').update(body).digest('hex')}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const compressed = await COMPRESS[encoding](body);
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, compressed);
  return compressed;
}
