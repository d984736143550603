import { chunkOutline } from './chunk-outline';
import type { ChunkingOptions } from './chunking-options';
import { parseMarkdown } from './parse-markdown';
import type { Chunk, SourceDocument } from './types';

/** Chunks Markdown by its structure: headings give each passage its heading path; code blocks stay whole when they fit. */
export function chunkMarkdown(document: SourceDocument, options: ChunkingOptions = {}): Chunk[] {
  return chunkOutline(parseMarkdown(document.text), document.source, options);
}
