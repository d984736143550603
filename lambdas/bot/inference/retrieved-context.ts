/**
 * How retrieved passages travel inside the system prompt, between two markers, so that any target can use them and
 * the offline one can read them back:
 *
 *     <retrieved-passages>
 *     [1] Title (source)
 *     The passage text, on one line.
 *
 *     [2] Another title (docs/other.md)
 *     More text.
 *     </retrieved-passages>
 *
 * Whitespace in titles, sources and texts is collapsed to single spaces, markers inside them are removed, and
 * parentheses in a source are written %28 / %29, so that `parseRetrievedContext(formatRetrievedContext(p))` gives
 * the passages back.
 */

export interface ContextPassage {
  /** The number the answer cites it by: [n]. */
  n: number;
  title: string;
  /** Where it comes from (URL or path); may be empty. */
  source: string;
  text: string;
}

export const RETRIEVED_CONTEXT_START = '<retrieved-passages>';
export const RETRIEVED_CONTEXT_END = '</retrieved-passages>';

const HEADER = /^\[(\d+)\] (.*?)(?: \(([^()]*)\))?$/;

function withoutMarkers(value: string): string {
  return value.split(RETRIEVED_CONTEXT_START).join(' ').split(RETRIEVED_CONTEXT_END).join(' ');
}

function clean(value: string): string {
  return withoutMarkers(value).replace(/\s+/g, ' ').trim();
}

/**
 * Passage text keeps its lines (code blocks and lists stay readable for the model) but loses its blank lines, which
 * separate passages in the block.
 */
function cleanText(value: string): string {
  return value
    .replace(/[ \t]*<\/?retrieved-passages>[ \t]*/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+$/, ''))
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/** The passages as a marked block to append to a system prompt; an empty string for no passages. */
export function formatRetrievedContext(passages: readonly ContextPassage[]): string {
  if (passages.length === 0) return '';
  const blocks = passages.map((passage) => {
    const source = clean(passage.source).replace(/\(/g, '%28').replace(/\)/g, '%29');
    const title = clean(passage.title) || 'Untitled';
    return `[${passage.n}] ${title}${source ? ` (${source})` : ''}\n${cleanText(passage.text)}`;
  });
  return `${RETRIEVED_CONTEXT_START}\n${blocks.join('\n\n')}\n${RETRIEVED_CONTEXT_END}`;
}

/** The passages of the first marked block in `system`, in order; none when there is no block. */
export function parseRetrievedContext(system: string): ContextPassage[] {
  const start = system.indexOf(RETRIEVED_CONTEXT_START);
  if (start === -1) return [];
  const bodyStart = start + RETRIEVED_CONTEXT_START.length;
  const end = system.indexOf(RETRIEVED_CONTEXT_END, bodyStart);
  const body = system.slice(bodyStart, end === -1 ? undefined : end);
  const passages: ContextPassage[] = [];
  // A header opens the block or follows a blank line; the line after a header is text even if it looks like one.
  let afterBlank = true;
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === '') {
      afterBlank = true;
      continue;
    }
    const header = afterBlank ? HEADER.exec(line) : null;
    afterBlank = false;
    if (header) {
      const source = (header[3] ?? '').replace(/%28/g, '(').replace(/%29/g, ')');
      passages.push({ n: Number(header[1]), title: header[2] as string, source, text: '' });
      continue;
    }
    const current = passages[passages.length - 1];
    if (current) current.text = current.text ? `${current.text}\n${line}` : line;
  }
  return passages;
}
