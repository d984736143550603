import { STOP_WORDS } from '../stop-words';

// Tokenizing, stop words and a light suffix-stripping stemmer for the offline embedder (English).

export interface Token {
  /** Lower case, accents removed, as written otherwise. */
  raw: string;
  /** Stemmed form used for word features. */
  stem: string;
  stop: boolean;
}

/**
 * Words of a text: runs of letters and digits, lower-cased with accents removed. Compound identifiers
 * (`PINECONE_INDEX_HOST`, `cdk.json`, `api-gateway`) also yield the whole compound as one extra token.
 */
export function tokenize(text: string): { tokens: Token[]; compounds: string[] } {
  const normalized = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const tokens: Token[] = [];
  for (const match of normalized.matchAll(/[\p{L}\p{N}]+/gu)) {
    const raw = match[0];
    tokens.push({ raw, stem: stem(raw), stop: raw.length < 2 || STOP_WORDS.has(raw) });
  }
  const compounds = [...normalized.matchAll(/[\p{L}\p{N}]+(?:[._\-/:][\p{L}\p{N}]+)+/gu)].map((match) => match[0]);
  return { tokens, compounds };
}

const SUFFIXES = ['ations', 'ation', 'ements', 'ement', 'ments', 'ment', 'ness', 'ings', 'ing', 'ions', 'ion', 'ers', 'er', 'edly', 'ed', 'ly'];

/** A light stemmer: plurals, then one of -ation/-ment/-ness/-ing/-ion/-er/-ed/-ly, then a final e or doubled consonant. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let result = word;
  if (result.endsWith('ies') && result.length > 4) result = `${result.slice(0, -3)}y`;
  else if (result.endsWith('sses')) result = result.slice(0, -2);
  else if (/(?:s|x|z|ch|sh)es$/.test(result)) result = result.slice(0, -2);
  else if (result.endsWith('s') && !/(?:ss|us|is)$/.test(result)) result = result.slice(0, -1);
  for (const suffix of SUFFIXES) {
    if (result.endsWith(suffix) && result.length - suffix.length >= 3) {
      result = result.slice(0, -suffix.length);
      break;
    }
  }
  if (result.length > 3 && result.endsWith('e')) result = result.slice(0, -1);
  if (result.length > 3 && /([b-df-hj-km-np-rtv-z])\1$/.test(result) && !/(?:ll|ss|zz)$/.test(result)) result = result.slice(0, -1);
  return result;
}
