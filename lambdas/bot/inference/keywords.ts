import { STOP_WORDS } from '../../shared/stop-words';

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
