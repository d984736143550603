/** Shapes of chunking and ingestion. */

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
