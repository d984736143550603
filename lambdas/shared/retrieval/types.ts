/** Shapes shared by chunking, ingestion and retrieval. */

/** A document read from disk (or fetched), decoded to text, ready to chunk. */
export interface SourceDocument {
  /** Where it came from: a path relative to the ingest base folder (`knowledge/deploy.md`) or a URL. */
  source: string;
  text: string;
}

export type DocumentFormat = 'markdown' | 'text' | 'html';

/** One passage of a document, small enough to embed and to quote in a prompt. */
export interface Chunk {
  /** Stable: `{source}#{hash of salt, position, heading path and text}`. Re-chunking the same file gives the same ids. */
  id: string;
  source: string;
  /** The document's title: front matter `title`, its first `# heading`, the HTML `<title>`, else the file name. */
  title: string;
  /** Headings above this passage, outermost first (the title heading included when there is one). */
  headingPath: string[];
  /** 0-based order of the chunk within its document. */
  position: number;
  /** The passage itself (Markdown for Markdown and HTML sources). */
  text: string;
}

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

/** What the `ai` `end` event carries in `sources`, in citation order. */
export interface Source {
  id: string;
  title: string;
  source: string;
  score: number;
  snippet: string;
}
