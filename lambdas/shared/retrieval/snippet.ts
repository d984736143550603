/** The start of a passage on one line, at most `maxChars` long, cut between words (with `…` when cut). */
export function snippet(text: string, maxChars: number): string {
  const flat = text
    .replace(/^(`{3,}|~{3,}).*$/gm, ' ')
    .replace(/^\s*(?:#{1,6}\s+|[-*+]\s+|>\s?)/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars - 1);
  const space = flat[cut.length] === ' ' ? cut.length : cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}
