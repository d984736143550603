import { CHUNKING_DEFAULTS } from './constants';

export interface ChunkingOptions {
  /** Characters a passage aims for. @default 800 */
  targetChars?: number;
  /** Characters no passage exceeds, overlap included; a code block up to this size is never cut. @default 1200 */
  maxChars?: number;
  /** Characters of the previous passage repeated at the start of the next one, in whole sentences or words. @default 120 */
  overlapChars?: number;
  /** Mixed into every chunk id (ingestion passes the embedder's name, so vectors of another model get replaced). @default '' */
  idSalt?: string;
}

export type ResolvedChunkingOptions = Required<ChunkingOptions>;

/** Spreads the defaults once and rejects contradictory sizes with a TypeError naming them. */
export function resolveChunkingOptions(options: ChunkingOptions = {}): ResolvedChunkingOptions {
  const resolved = { ...CHUNKING_DEFAULTS, idSalt: '', ...stripUndefined(options) };
  for (const name of ['targetChars', 'maxChars', 'overlapChars'] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 0) {
      throw new TypeError(`Chunking option ${name} must be a non-negative integer, got ${String(resolved[name])}`);
    }
  }
  if (resolved.maxChars < 64) throw new TypeError(`Chunking option maxChars must be at least 64, got ${resolved.maxChars}`);
  if (resolved.targetChars < 1 || resolved.targetChars > resolved.maxChars) {
    throw new TypeError(`Chunking option targetChars (${resolved.targetChars}) must be between 1 and maxChars (${resolved.maxChars})`);
  }
  if (resolved.overlapChars >= resolved.targetChars) {
    throw new TypeError(`Chunking option overlapChars (${resolved.overlapChars}) must be less than targetChars (${resolved.targetChars})`);
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
