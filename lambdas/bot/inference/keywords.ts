/** Words that carry no topic: skipped when matching a question against passages. */
const STOP_WORDS = new Set(
  (
    'the and for are but not you your yours with this that these those there their they them then than what which who ' +
    'whom whose when where why how can could would should will shall may might must have has had having does did doing ' +
    'done was were been being its it\'s into onto from about above below over under again further once here all any both ' +
    'each few more most other some such only own same too very just also our ours out off she her hers him his himself ' +
    'herself itself myself yourself ourselves themselves between through during before after because while until nor ' +
    'get got make made use used using want need know tell please thanks thank hello hey okay yes one'
  ).split(' '),
);

/** The distinct content words of `text`, lower-cased, in order of first appearance. */
export function keywords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu) ?? [];
  const seen = new Set<string>();
  for (const word of words) {
    const trimmed = word.replace(/['_-]+$/, '');
    if (trimmed.length >= 3 && !STOP_WORDS.has(trimmed)) seen.add(trimmed);
  }
  return [...seen];
}
