import { chunkOutline } from './chunk-outline';
import type { ChunkingOptions } from './chunking-options';
import { htmlToMarkdown } from './html-to-markdown';
import { parseMarkdown } from './parse-markdown';
import type { Chunk, SourceDocument } from './types';

/** Chunks an HTML page: its text, headings, lists, tables and `<pre>` code, without scripts, styles or markup. */
export function chunkHtml(document: SourceDocument, options: ChunkingOptions = {}): Chunk[] {
  const { title, markdown } = htmlToMarkdown(document.text);
  const outline = parseMarkdown(markdown);
  if (title !== undefined) outline.title = title;
  return chunkOutline(outline, document.source, options);
}
