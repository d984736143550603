/** Shapes shared by ingestion (ingest/) and retrieval. */

/** Metadata stored with every vector. Kept flat: Pinecone metadata values are strings, numbers, booleans or string lists. */
export type ChunkMetadata = {
  source: string;
  title: string;
  /** The title and the heading path joined with ` > ` (see headingLabel). */
  heading: string;
  position: number;
  text: string;
  /** `Embedder.name` of the model that made the vector; retrieval only considers vectors of its own embedder. */
  embedder: string;
};

/** A passage retrieved for a question, numbered as the answer cites it (`[1]`, `[2]`, ...). */
export interface Passage {
  /** 1-based, in descending score order. */
  n: number;
  id: string;
  /** The document title and the headings above the passage: `Deploying to AWS > Bootstrap`. */
  title: string;
  /** File path (relative to where ingestion ran) or URL. */
  source: string;
  /** Similarity in [-1, 1] (cosine); higher is closer. */
  score: number;
  /** The start of the passage on one line, for a citation list. */
  snippet: string;
  text: string;
}

export interface RetrievalResult {
  /** Passages at or above the threshold, best first; empty when nothing matched well enough. */
  passages: Passage[];
  /** Wall time of the embedding call and the query, in milliseconds. */
  tookMs: number;
}

/** What the `ai` `end` event carries in `sources`, in citation order: the wire protocol's own type. */
export type { Source } from '../../../contract/protocol';
