import { createHash } from 'node:crypto';
import { ID_SEPARATOR } from './constants';
import { PINECONE_LIMITS } from '../lambdas/shared/retrieval/pinecone-limits';
import { DocumentError } from './errors';

const HASH_CHARS = 16;

/**
 * Record ids are `{source}#{hash}`: readable, listable by source (`list` with the prefix `{source}#`) and by folder
 * (`knowledge/`), which is how ingestion finds a file's chunks on a serverless index. Pinecone ids are ASCII, so
 * the source is percent-encoded beyond printable ASCII (and `%` itself), which keeps prefixes intact.
 */
export function escapeSource(source: string): string {
  return source.replace(/[^\x20-\x7e]|%/gu, (character) => encodeURIComponent(character));
}

/** The prefix every chunk id of `source` starts with. */
export function sourceIdPrefix(source: string): string {
  return `${escapeSource(source)}${ID_SEPARATOR}`;
}

/** The id of one chunk: the source, then a hash of salt, position, heading path and text. */
export function chunkId(source: string, salt: string, position: number, headingPath: readonly string[], text: string): string {
  const prefix = sourceIdPrefix(source);
  if (prefix.length + HASH_CHARS > PINECONE_LIMITS.maxIdLength) {
    throw new DocumentError('source_too_long', source, `${source}: the path is too long to name its chunks (ids are at most ${PINECONE_LIMITS.maxIdLength} characters)`);
  }
  const hash = createHash('sha256').update([salt, String(position), headingPath.join('\u001f'), text].join('\u0000')).digest('hex');
  return prefix + hash.slice(0, HASH_CHARS);
}

/** The escaped source part of a chunk id (everything before its last `#`). */
export function idSourcePrefix(id: string): string {
  return id.slice(0, id.lastIndexOf(ID_SEPARATOR) + 1);
}
