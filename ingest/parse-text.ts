import type { DocumentOutline } from './document-outline';

/**
 * Parses plain text into paragraphs (separated by blank lines). A short first line standing alone, without a final
 * period, is taken as the title, as in most notes.
 */
export function parseText(text: string): DocumentOutline {
  const paragraphs = text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.replace(/[ \t]+$/gm, '').replace(/^\n+|\n+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '');
  if (paragraphs.length === 0) return { sections: [] };
  const first = (paragraphs[0] as string).trim();
  const title = paragraphs.length > 1 && !first.includes('\n') && first.length <= 80 && !/[.!?:;,]$/.test(first) ? first : undefined;
  const body = title === undefined ? paragraphs : paragraphs.slice(1);
  const outline: DocumentOutline = {
    sections: [{ headingPath: title === undefined ? [] : [title], blocks: body.map((paragraph) => ({ kind: 'paragraph', text: paragraph.trim(), units: [] })) }],
  };
  if (title !== undefined) outline.title = title;
  return outline;
}
