import { chunkOutline } from './chunk-outline';
import type { ChunkingOptions } from './chunking-options';
import { parseText } from './parse-text';
import type { Chunk, SourceDocument } from './types';

/** Chunks plain text by paragraphs. */
export function chunkText(document: SourceDocument, options: ChunkingOptions = {}): Chunk[] {
  return chunkOutline(parseText(document.text), document.source, options);
}
