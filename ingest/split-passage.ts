/**
 * Cuts prose longer than `maxChars` into pieces of at most `maxChars`: between sentences where it can, else between
 * words, else (a single "word" longer than the limit, e.g. a base64 blob) anywhere. Pieces are trimmed and never empty.
 */
export function splitPassage(text: string, maxChars: number): string[] {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed === '' ? [] : [trimmed];
  return pack(sentences(trimmed), maxChars, ' ', (sentence) => pack(words(sentence), maxChars, ' ', (word) => hardCut(word, maxChars)));
}

/** The last whole sentences (else words) of `text` that fit in `maxChars`; '' when nothing fits. */
export function tailOf(text: string, maxChars: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed;
  return lastFitting(sentences(trimmed), maxChars) || lastFitting(words(trimmed), maxChars);
}

function lastFitting(units: string[], maxChars: number): string {
  let result = '';
  for (const unit of [...units].reverse()) {
    const candidate = result === '' ? unit : `${unit} ${result}`;
    if (candidate.length > maxChars) break;
    result = candidate;
  }
  return result;
}

/** Sentences: split after `.`, `!`, `?` (optionally closed by a quote or bracket) followed by white space. */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…][)\]"'’”]*)\s+/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

function hardCut(text: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const character of text) {
    // Iterating by code point never cuts a surrogate pair in two.
    if (current.length + character.length > maxChars) {
      pieces.push(current);
      current = '';
    }
    current += character;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

/** Greedily joins units up to `maxChars`; a unit over the limit is cut by `cut` first. */
function pack(units: string[], maxChars: number, separator: string, cut: (unit: string) => string[]): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const unit of units.flatMap((candidate) => (candidate.length > maxChars ? cut(candidate) : [candidate]))) {
    if (current === '') current = unit;
    else if (current.length + separator.length + unit.length <= maxChars) current += separator + unit;
    else {
      pieces.push(current);
      current = unit;
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}
