import type { Passage, Source } from './types';

/** The `sources` of the `ai` `end` event, in citation order: `sources[i]` is what `[i + 1]` in the answer cites. */
export function toSources(passages: readonly Passage[]): Source[] {
  return [...passages]
    .sort((a, b) => a.n - b.n)
    .map(({ id, title, source, score, snippet }) => ({ id, title, source, score, snippet }));
}
