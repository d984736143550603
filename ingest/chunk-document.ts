import { chunkHtml } from './chunk-html';
import { chunkMarkdown } from './chunk-markdown';
import { chunkText } from './chunk-text';
import type { ChunkingOptions } from './chunking-options';
import { documentFormat } from './document-format';
import { DocumentError } from './errors';
import type { Chunk, DocumentFormat, SourceDocument } from './types';

const CHUNKERS: Readonly<Record<DocumentFormat, (document: SourceDocument, options: ChunkingOptions) => Chunk[]>> = {
  markdown: chunkMarkdown,
  text: chunkText,
  html: chunkHtml,
};

/** Chunks a document in its format (given, or from the source's extension). An empty document has no chunks. */
export function chunkDocument(document: SourceDocument, options: ChunkingOptions & { format?: DocumentFormat } = {}): Chunk[] {
  const { format = documentFormat(document.source), ...chunking } = options;
  if (format === undefined) {
    throw new DocumentError('unsupported_type', document.source, `${document.source}: not a Markdown, text or HTML file`);
  }
  return CHUNKERS[format](document, chunking);
}
