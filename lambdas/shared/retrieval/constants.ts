/** Defaults of chunking, ingestion and retrieval. Units are in the names only where no type can carry them. */
import { readSettings } from '../../../contract';

const RETRIEVAL_SETTING_DEFAULTS = readSettings({}, ['retrievalTopK', 'retrievalMinScore']);

export const CHUNKING_DEFAULTS = {
  /** Characters a passage aims for; blocks are packed until the next one would pass it. */
  targetChars: 800,
  /** Characters no passage ever exceeds, overlap included. */
  maxChars: 1200,
  /** Characters of the previous passage's end (whole sentences or words) repeated at the start of the next one. */
  overlapChars: 120,
} as const;

export const RETRIEVAL_DEFAULTS = {
  /** The `retrievalTopK` setting's default. */
  topK: RETRIEVAL_SETTING_DEFAULTS.retrievalTopK,
  /**
   * The `retrievalMinScore` setting's default: cosine similarity below which a match is dropped. Tuned for the offline
   * embedder on the sample knowledge base: off-topic questions score at most about 0.10 there, right passages mostly
   * 0.2-0.6 (`npm run bench:recall` prints them). Re-tune with RETRIEVAL_MIN_SCORE for another embedder or corpus.
   */
  minScore: RETRIEVAL_SETTING_DEFAULTS.retrievalMinScore,
  /** Characters of recent conversation embedded with the question. */
  contextChars: 240,
  /** Characters of a passage shown as its snippet. */
  snippetChars: 200,
} as const;

export const INGEST_DEFAULTS = {
  /** Texts per `Embedder.embed` call. */
  embedBatchSize: 32,
  /** File name endings ingested; anything else under a folder is ignored. */
  extensions: ['.md', '.markdown', '.txt', '.html', '.htm'],
} as const;

/** Separates a record id's source from its content hash: `knowledge/deploy.md#3f9a1c2b4d5e6f70`. */
export const ID_SEPARATOR = '#';
