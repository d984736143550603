import { el } from './dom';

/**
 * A small Markdown renderer for chat messages and the bot's answers: fenced code, headings, lists (nested, ordered,
 * task items), block quotes, simple pipe tables, rules, code spans, emphasis, strikethrough, links, bare URLs and
 * citation markers `[1]`.
 *
 * It builds DOM nodes and puts every piece of text in as a text node, so there is no HTML to sanitize: `<img
 * onerror=...>` typed by anyone shows up as those characters. Links are only made for http(s) and mailto URLs; any
 * other link (`javascript:`, `data:`, relative paths) stays the literal text that was typed.
 */

export interface MarkdownOptions {
  /** Where a citation marker `[n]` points, or undefined when there is no source n (the marker stays text). */
  readonly citationHref?: (n: number) => string | undefined;
}

const SAFE_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);
/** Nesting of quotes, lists and emphasis beyond this is shown as text (a 4000-character `>>>>…` must not recurse). */
const MAX_DEPTH = 8;

/** The normalized URL when it is absolute http(s) or mailto, else undefined. */
export function safeUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}

export function renderMarkdown(text: string, options: MarkdownOptions = {}): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  renderBlocks(lines, fragment, { ...options, headingLevel: headingLevels(lines) }, 0);
  return fragment;
}

/** Options as the renderer passes them down: the caller's, and the HTML level of each Markdown heading level. */
interface RenderOptions extends MarkdownOptions {
  readonly headingLevel: (markdownLevel: number) => 3 | 4 | 5 | 6;
}

// A heading anywhere, also inside quotes and list items, for counting the levels a message uses.
const ANY_HEADING = /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(#{1,6})(?:[ \t]|$)/;

/**
 * A message's headings ranked from its own highest: the highest becomes h3 (under the page's h1 and the list's h2),
 * the next h4, and so on, so a message that starts at `###` or jumps from `#` to `###` never skips a level in the
 * page's outline (screen readers navigate by it; axe's heading-order rule checks it).
 */
function headingLevels(lines: readonly string[]): (markdownLevel: number) => 3 | 4 | 5 | 6 {
  const used = new Set<number>();
  for (const line of lines) {
    const heading = ANY_HEADING.exec(line);
    if (heading) used.add(heading[1]!.length);
  }
  const ranked = [...used].sort((a, b) => a - b);
  return (markdownLevel) => Math.min(6, 3 + ranked.filter((level) => level < markdownLevel).length) as 3 | 4 | 5 | 6;
}

const BLANK = /^[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(?:[ \t]+(.*)|$)/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

const indentOf = (line: string): number => /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
}

function renderBlocks(lines: readonly string[], parent: Node, options: RenderOptions, depth: number): void {
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length === 0) return;
    const p = el('p');
    renderInline(paragraph.join('\n').trim(), p, options, 0, false);
    parent.appendChild(p);
    paragraph = [];
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (BLANK.test(line)) {
      flush();
      i += 1;
      continue;
    }

    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const marker = fence[1];
      const closing = new RegExp(`^ {0,3}${marker[0]}{${marker.length},}[ \\t]*$`);
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !closing.test(lines[i])) body.push(lines[i++]);
      i += 1; // the closing fence; an answer still streaming may not have it yet
      const code = el('code', undefined, body.join('\n'));
      if (fence[2]) code.className = `language-${fence[2].slice(0, 20)}`;
      const pre = el('pre', undefined, code);
      // A region that scrolls sideways (long lines on a phone) must be reachable by keyboard.
      pre.tabIndex = 0;
      parent.appendChild(pre);
      continue;
    }

    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const h = el(`h${options.headingLevel(heading[1].length)}`);
      renderInline(heading[2] ?? '', h, options, 0, false);
      parent.appendChild(h);
      i += 1;
      continue;
    }

    if (RULE.test(line)) {
      flush();
      parent.appendChild(el('hr'));
      i += 1;
      continue;
    }

    if (depth < MAX_DEPTH && QUOTE.test(line)) {
      flush();
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) inner.push(QUOTE.exec(lines[i++])![1]);
      const quote = el('blockquote');
      renderBlocks(inner, quote, options, depth + 1);
      parent.appendChild(quote);
      continue;
    }

    if (depth < MAX_DEPTH && ITEM.test(line)) {
      flush();
      i = renderList(lines, i, parent, options, depth);
      continue;
    }

    if (paragraph.length === 0 && line.includes('|') && i + 1 < lines.length && TABLE_DELIMITER.test(lines[i + 1])) {
      const header = splitRow(line);
      const alignments = splitRow(lines[i + 1]).map(alignmentOf);
      if (header.length === alignments.length) {
        i = renderTable(lines, i, header, alignments, parent, options);
        continue;
      }
    }

    paragraph.push(line);
    i += 1;
  }
  flush();
}

/** Renders the list starting at `lines[start]`; returns the index of the first line after it. */
function renderList(lines: readonly string[], start: number, parent: Node, options: RenderOptions, depth: number): number {
  const first = ITEM.exec(lines[start])!;
  const ordered = /\d/.test(first[2]);
  const kind = ordered ? first[2].slice(-1) : first[2];
  const list = ordered ? el('ol') : el('ul');
  if (ordered && parseInt(first[2], 10) !== 1) (list as HTMLOListElement).start = parseInt(first[2], 10);
  const sameList = (match: RegExpExecArray | null): match is RegExpExecArray =>
    match !== null && (ordered ? /\d/.test(match[2]) && match[2].slice(-1) === kind : match[2] === kind);

  let i = start;
  while (i < lines.length) {
    const match = ITEM.exec(lines[i]);
    if (!sameList(match)) break;
    const contentIndent = match[1].length + match[2].length + 1;
    const itemLines = [match[3] ?? ''];
    i += 1;
    while (i < lines.length) {
      const line = lines[i];
      if (BLANK.test(line)) {
        let next = i;
        while (next < lines.length && BLANK.test(lines[next])) next += 1;
        // A blank line continues the item only when indented content follows.
        if (next < lines.length && indentOf(lines[next]) >= 2) {
          for (; i < next; i += 1) itemLines.push('');
          continue;
        }
        break;
      }
      const indent = indentOf(line);
      if (indent < 2 && (ITEM.test(line) || startsBlock(line))) break;
      itemLines.push(line.replace(/^[ \t]*/, ' '.repeat(Math.max(0, indent - Math.min(indent, contentIndent)))));
      i += 1;
    }
    // A blank line between items of the same list keeps the list going.
    let next = i;
    while (next < lines.length && BLANK.test(lines[next])) next += 1;
    if (next > i && next < lines.length && sameList(ITEM.exec(lines[next]))) i = next;

    const item = el('li');
    const task = /^\[([ xX])\][ \t]+/.exec(itemLines[0]);
    if (task) {
      itemLines[0] = itemLines[0].slice(task[0].length);
      item.className = 'task';
      item.append(task[1] === ' ' ? '☐ ' : '☑ ');
    }
    renderBlocks(itemLines, item, options, depth + 1);
    // Tight items: the first paragraph's content sits directly in the item.
    const firstBlock = item.querySelector(':scope > p');
    if (firstBlock && firstBlock === item.firstElementChild) firstBlock.replaceWith(...Array.from(firstBlock.childNodes));
    list.appendChild(item);
  }
  parent.appendChild(list);
  return i;
}

type Alignment = 'left' | 'center' | 'right' | undefined;

function alignmentOf(cell: string): Alignment {
  const left = cell.startsWith(':');
  const right = cell.endsWith(':');
  return left && right ? 'center' : right ? 'right' : left ? 'left' : undefined;
}

function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i += 1) {
    if (row[i] === '\\' && row[i + 1] === '|') {
      cell += '|';
      i += 1;
    } else if (row[i] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += row[i];
    }
  }
  cells.push(cell.trim());
  return cells;
}

function renderTable(
  lines: readonly string[],
  start: number,
  header: string[],
  alignments: Alignment[],
  parent: Node,
  options: MarkdownOptions,
): number {
  const row = (cells: string[], tag: 'th' | 'td'): HTMLTableRowElement => {
    const tr = el('tr');
    alignments.forEach((alignment, column) => {
      const cell = el(tag, alignment ? `align-${alignment}` : undefined);
      renderInline(cells[column] ?? '', cell, options, 0, false);
      tr.appendChild(cell);
    });
    return tr;
  };
  const body = el('tbody');
  let i = start + 2;
  while (i < lines.length && !BLANK.test(lines[i]) && lines[i].includes('|')) body.appendChild(row(splitRow(lines[i++]), 'td'));
  const wrapper = el('div', 'table', el('table', undefined, el('thead', undefined, row(header, 'th')), body));
  wrapper.tabIndex = 0; // it scrolls sideways when the table is wider than the bubble
  parent.appendChild(wrapper);
  return i;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const WHITESPACE = /\s/;
const WORD = /[\p{L}\p{N}]/u;
const BARE_URL = /https?:\/\/[^\s<>"]+/y;
const AUTOLINK = /<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>/y;

/** Renders inline Markdown into `parent`. `inLink` stops links nesting inside link text. */
function renderInline(text: string, parent: Node, options: MarkdownOptions, depth: number, inLink: boolean): void {
  let plain = '';
  const flush = (): void => {
    if (plain !== '') parent.appendChild(document.createTextNode(plain));
    plain = '';
  };
  const add = (node: Node): void => {
    flush();
    parent.appendChild(node);
  };

  let i = 0;
  while (i < text.length) {
    const ch = text[i];

    if (ch === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1])) {
      plain += text[i + 1];
      i += 2;
      continue;
    }

    if (ch === '\n') {
      add(el('br'));
      i += 1;
      continue;
    }

    if (ch === '`') {
      const run = runLength(text, i, '`');
      const close = text.indexOf('`'.repeat(run), i + run);
      if (close >= 0 && text[close + run] !== '`') {
        let code = text.slice(i + run, close).replace(/\n/g, ' ');
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        add(el('code', undefined, code));
        i = close + run;
      } else {
        plain += '`'.repeat(run);
        i += run;
      }
      continue;
    }

    if (ch === '[' || (ch === '!' && text[i + 1] === '[')) {
      const image = ch === '!';
      const link = parseLink(text, image ? i + 1 : i);
      if (link) {
        const href = inLink ? undefined : safeUrl(link.destination);
        if (href) {
          const a = anchor(href);
          if (image) a.append('🖼 ', link.label || href);
          else if (depth < MAX_DEPTH) renderInline(link.label, a, options, depth + 1, true);
          else a.append(link.label);
          add(a);
        } else {
          // Not a link we make (javascript:, data:, relative...): the reader sees exactly what was written.
          plain += text.slice(i, link.end);
        }
        i = link.end;
        continue;
      }
      const citation = /^\[(\d{1,3})\]/.exec(text.slice(i, i + 5));
      const citationHref = !image && citation && !inLink ? options.citationHref?.(Number(citation[1])) : undefined;
      if (citation && citationHref) {
        const a = el('a', 'citation', `[${citation[1]}]`);
        a.href = citationHref;
        add(el('sup', undefined, a));
        i += citation[0].length;
        continue;
      }
      plain += ch;
      i += 1;
      continue;
    }

    if (ch === '<') {
      AUTOLINK.lastIndex = i;
      const auto = AUTOLINK.exec(text);
      const href = auto && !inLink ? safeUrl(auto[1]) : undefined;
      if (auto && href) {
        add(anchor(href, auto[1]));
        i = AUTOLINK.lastIndex;
        continue;
      }
    }

    if (ch === 'h' && !inLink && (i === 0 || !WORD.test(text[i - 1]))) {
      BARE_URL.lastIndex = i;
      const bare = BARE_URL.exec(text);
      if (bare) {
        const url = trimUrl(bare[0]);
        const href = safeUrl(url);
        if (href) {
          add(anchor(href, url));
          i += url.length;
          continue;
        }
      }
    }

    if ((ch === '*' || ch === '_' || ch === '~') && depth < MAX_DEPTH) {
      const run = runLength(text, i, ch);
      const size = ch === '~' ? (run === 2 ? 2 : 0) : Math.min(run, 3);
      const opens =
        size > 0 &&
        i + run < text.length &&
        !WHITESPACE.test(text[i + run]) &&
        !(ch === '_' && i > 0 && WORD.test(text[i - 1]));
      const close = opens ? findClosing(text, i + run, ch, size) : -1;
      if (close >= 0) {
        const node = size === 3 ? el('strong', undefined, el('em')) : el(size === 2 ? (ch === '~' ? 'del' : 'strong') : 'em');
        renderInline(text.slice(i + size, close), node.firstElementChild ?? node, options, depth + 1, inLink);
        add(node);
        i = close + size;
        continue;
      }
      plain += ch.repeat(run);
      i += run;
      continue;
    }

    plain += ch;
    i += 1;
  }
  flush();
}

function anchor(href: string, text?: string): HTMLAnchorElement {
  const a = el('a', undefined, ...(text === undefined ? [] : [text]));
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer nofollow ugc';
  return a;
}

function runLength(text: string, start: number, ch: string): number {
  let end = start;
  while (text[end] === ch) end += 1;
  return end - start;
}

/** The index of the delimiter run closing an emphasis of `size` characters, or -1. */
function findClosing(text: string, from: number, ch: string, size: number): number {
  const delimiter = ch.repeat(size);
  for (let j = text.indexOf(delimiter, from); j >= 0; j = text.indexOf(delimiter, j + 1)) {
    if (WHITESPACE.test(text[j - 1])) continue;
    if (text[j + size] === ch) {
      // Part of a longer run: only its last `size` characters can close.
      j += runLength(text, j, ch) - size - 1;
      continue;
    }
    if (ch === '_' && j + size < text.length && WORD.test(text[j + size])) continue;
    return j;
  }
  return -1;
}

interface ParsedLink {
  label: string;
  destination: string;
  /** Index just past the closing parenthesis. */
  end: number;
}

/** Parses `[label](destination "title")` at `start` (the `[`), or undefined when it is not one. */
function parseLink(text: string, start: number): ParsedLink | undefined {
  let depth = 0;
  let i = start;
  for (; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '[') depth += 1;
    else if (text[i] === ']' && --depth === 0) break;
    else if (text[i] === '\n' && text[i + 1] === '\n') return undefined;
  }
  if (i >= text.length || text[i + 1] !== '(') return undefined;
  const label = text.slice(start + 1, i);
  let j = i + 2;
  while (text[j] === ' ') j += 1;
  let destination: string;
  if (text[j] === '<') {
    const close = text.indexOf('>', j);
    if (close < 0) return undefined;
    destination = text.slice(j + 1, close);
    j = close + 1;
  } else {
    let parens = 0;
    const begin = j;
    for (; j < text.length && !WHITESPACE.test(text[j]); j += 1) {
      if (text[j] === '(') parens += 1;
      else if (text[j] === ')' && parens-- === 0) break;
    }
    destination = text.slice(begin, j);
  }
  // An optional title, which is not shown.
  const rest = /^[ \t]*(?:"[^"]*"|'[^']*')?[ \t]*\)/.exec(text.slice(j));
  if (!rest) return undefined;
  return { label, destination, end: j + rest[0].length };
}

/** A bare URL ends before trailing punctuation and before an unbalanced closing parenthesis. */
function trimUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (/[.,:;!?'"*_~]/.test(last)) end -= 1;
    else if (last === ')' && count(url.slice(0, end), '(') < count(url.slice(0, end), ')')) end -= 1;
    else break;
  }
  return url.slice(0, end);
}

const count = (text: string, ch: string): number => text.split(ch).length - 1;
