import type { DocumentOutline, Section } from './document-outline';

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_1 = /^ {0,3}=+[ \t]*$/;
const SETEXT_2 = /^ {0,3}-+[ \t]*$/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;
const TABLE_ROW = /^ {0,3}\|/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const INDENTED = /^(?: {2,}|\t)/;

/**
 * Parses Markdown (CommonMark's block structure, the parts documentation uses) into sections by heading, each with its
 * paragraphs, fenced code blocks, lists and tables. Front matter gives the title; HTML comments are dropped. Text is
 * expected with `\n` line endings (see decodeDocument).
 */
export function parseMarkdown(markdown: string): DocumentOutline {
  const lines = markdown.split('\n');
  const outline: DocumentOutline = { sections: [] };
  let start = 0;
  const frontMatter = readFrontMatter(lines);
  if (frontMatter) {
    start = frontMatter.end;
    if (frontMatter.title) outline.title = frontMatter.title;
  }

  const headings: { level: number; text: string }[] = [];
  let section: Section = { headingPath: [], blocks: [] };
  let open: { kind: 'paragraph' | 'list' | 'table'; lines: string[]; units: string[] } | undefined;

  const flush = (): void => {
    if (!open) return;
    const text = open.lines.join('\n').trim();
    if (text !== '') {
      section.blocks.push({ kind: open.kind, text, units: open.kind === 'paragraph' ? [] : open.units.map((unit) => unit.trim()) });
    }
    open = undefined;
  };
  const startSection = (level: number, raw: string): void => {
    flush();
    if (section.blocks.length > 0) outline.sections.push(section);
    const text = cleanInline(raw);
    while (headings.length > 0 && (headings[headings.length - 1] as { level: number }).level >= level) headings.pop();
    if (text !== '') headings.push({ level, text });
    if (level === 1 && text !== '' && outline.title === undefined) outline.title = text;
    section = { headingPath: headings.map((heading) => heading.text), blocks: [] };
  };

  for (let index = start; index < lines.length; index += 1) {
    const line = lines[index] as string;

    const fence = FENCE.exec(line);
    if (fence && !(fence[2]?.startsWith('`') && fence[3]?.includes('`'))) {
      flush();
      const marker = fence[2] as string;
      const body: string[] = [];
      let closed = false;
      for (index += 1; index < lines.length; index += 1) {
        const inner = lines[index] as string;
        const closing = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(inner);
        if (closing && (closing[1] as string)[0] === marker[0] && (closing[1] as string).length >= marker.length) {
          closed = true;
          break;
        }
        body.push(inner);
      }
      const openLine = line.trim();
      const closeLine = closed ? (lines[index] as string).trim() : marker;
      section.blocks.push({
        kind: 'code',
        text: [openLine, ...body, closeLine].join('\n'),
        units: body,
        fence: { open: openLine, close: closeLine },
      });
      continue;
    }

    if (line.trimStart().startsWith('<!--')) {
      flush();
      while (index < lines.length && !(lines[index] as string).includes('-->')) index += 1;
      continue;
    }

    const atx = ATX_HEADING.exec(line);
    if (atx) {
      startSection((atx[1] as string).length, atx[2] ?? '');
      continue;
    }

    if (open?.kind === 'paragraph' && open.lines.length > 0 && (SETEXT_1.test(line) || SETEXT_2.test(line))) {
      const text = open.lines.join(' ');
      open = undefined;
      startSection(SETEXT_1.test(line) ? 1 : 2, text);
      continue;
    }

    if (line.trim() === '') {
      // A blank line ends a paragraph or a table; a list goes on if an item or an indented line follows.
      if (open?.kind === 'list') {
        const next = nextNonBlank(lines, index + 1);
        if (next !== undefined && (LIST_ITEM.test(next) || INDENTED.test(next))) {
          open.lines.push('');
          continue;
        }
      }
      flush();
      continue;
    }

    if (THEMATIC_BREAK.test(line)) {
      flush();
      continue;
    }

    if (LIST_ITEM.test(line)) {
      if (open?.kind !== 'list') {
        flush();
        open = { kind: 'list', lines: [], units: [] };
      }
      open.lines.push(line);
      open.units.push(line);
      continue;
    }

    if (TABLE_ROW.test(line)) {
      if (open?.kind !== 'table') {
        flush();
        open = { kind: 'table', lines: [], units: [] };
      }
      open.lines.push(line);
      open.units.push(line);
      continue;
    }

    if (open?.kind === 'list') {
      // An indented line, or a lazy continuation, belongs to the last item.
      open.lines.push(line);
      open.units[open.units.length - 1] += `\n${line}`;
      continue;
    }
    if (open?.kind !== 'paragraph') {
      flush();
      open = { kind: 'paragraph', lines: [], units: [] };
    }
    open.lines.push(line);
  }
  flush();
  if (section.blocks.length > 0) outline.sections.push(section);
  return outline;
}

/** Heading text without inline Markdown: `code`, **strong**, _em_, [links](url) and images become their text. */
export function cleanInline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|\W)[*_](\S.*?\S|\S)[*_](?=\W|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

function readFrontMatter(lines: string[]): { end: number; title?: string } | undefined {
  if (lines[0]?.trim() !== '---') return undefined;
  for (let index = 1; index < Math.min(lines.length, 200); index += 1) {
    const line = (lines[index] as string).trim();
    if (line === '---' || line === '...') {
      const titleLine = lines.slice(1, index).find((candidate) => /^title\s*:/.test(candidate));
      const title = titleLine?.replace(/^title\s*:\s*/, '').replace(/^(['"])(.*)\1$/, '$2').trim();
      return title ? { end: index + 1, title } : { end: index + 1 };
    }
  }
  return undefined;
}

function nextNonBlank(lines: string[], from: number): string | undefined {
  for (let index = from; index < lines.length; index += 1) {
    if ((lines[index] as string).trim() !== '') return lines[index];
  }
  return undefined;
}

