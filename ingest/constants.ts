/** Defaults of chunking and ingestion. Units are in the names only where no type can carry them. */

export const CHUNKING_DEFAULTS = {
  /** Characters a passage aims for; blocks are packed until the next one would pass it. */
  targetChars: 800,
  /** Characters no passage ever exceeds, overlap included. */
  maxChars: 1200,
  /** Characters of the previous passage's end (whole sentences or words) repeated at the start of the next one. */
  overlapChars: 120,
} as const;

export const INGEST_DEFAULTS = {
  /** Texts per `Embedder.embed` call. */
  embedBatchSize: 32,
  /** File name endings ingested; anything else under a folder is ignored. */
  extensions: ['.md', '.markdown', '.txt', '.html', '.htm'],
} as const;

/** Separates a record id's source from its content hash: `knowledge/deploy.md#3f9a1c2b4d5e6f70`. */
export const ID_SEPARATOR = '#';
