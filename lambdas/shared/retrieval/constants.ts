/** Defaults of retrieval. Units are in the names only where no type can carry them. */
import { readSettings } from '../../../contract/read-settings';

const RETRIEVAL_SETTING_DEFAULTS = readSettings({}, ['retrievalTopK', 'retrievalMinScore']);

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
