import type { Embedder } from './embedder';
import { hashFeature } from './offline-hash';
import { tokenize, type Token } from './offline-tokens';

export interface OfflineEmbedderOptions {
  /** Length of every vector. @default 1024 (the same as Titan Text Embeddings V2, so one index fits both) */
  dimensions?: number;
}

/** Weight of each feature family in the final vector; each family is normalized first, so long texts do not drown one. */
const FAMILY_WEIGHTS = { word: 1, bigram: 0.55, chars: 0.6 } as const;
const CHAR_NGRAM_SIZES = [3, 4, 5] as const;
/** Characters of a word used for character n-grams (long identifiers and hashes add nothing beyond that). */
const MAX_NGRAM_WORD = 24;
/** Decimal places kept: halves the JSON a vector takes, changes cosine scores by less than 1e-5. */
const PRECISION = 1e6;

/**
 * An embedder that needs no model and no network: the feature-hashing trick over stemmed words, word bigrams and
 * character 3-5-grams (which catch inflections and compound names the stemmer misses), each with sublinear term
 * frequency (1 + ln tf), signed-hashed into `dimensions` and L2-normalized. Deterministic; good enough to find the
 * right passage of a small knowledge base, no match for Titan on paraphrases.
 */
export class OfflineEmbedder implements Embedder {
  public readonly name: string;
  public readonly dimensions: number;

  public constructor(options: OfflineEmbedderOptions = {}) {
    const dimensions = options.dimensions ?? 1024;
    if (!Number.isInteger(dimensions) || dimensions < 8) {
      throw new TypeError(`OfflineEmbedder dimensions must be an integer of at least 8, got ${String(dimensions)}`);
    }
    this.dimensions = dimensions;
    this.name = `offline-hashed-ngrams-v1/${dimensions}`;
  }

  public embed(texts: readonly string[]): Promise<number[][]> {
    return Promise.resolve(texts.map((text) => this.embedOne(text)));
  }

  /** The vector of one text, synchronously. */
  public embedOne(text: string): number[] {
    const { tokens, compounds } = tokenize(text);
    let content = tokens.filter((token) => !token.stop);
    // A text of stop words only ("how do I?") is still a text: use what there is rather than a zero vector.
    if (content.length === 0) content = tokens;
    const vector = new Float64Array(this.dimensions);
    this.add(vector, wordFeatures(content, compounds), FAMILY_WEIGHTS.word);
    this.add(vector, bigramFeatures(content), FAMILY_WEIGHTS.bigram);
    this.add(vector, charFeatures(content), FAMILY_WEIGHTS.chars);
    let norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    if (norm === 0) {
      // Pinecone refuses an all-zero dense vector; an empty text gets a fixed one.
      vector[hashFeature('<empty>') % this.dimensions] = 1;
      norm = 1;
    }
    return Array.from(vector, (value) => Math.round((value / norm) * PRECISION) / PRECISION);
  }

  private add(vector: Float64Array, counts: Map<string, number>, weight: number): void {
    let sumOfSquares = 0;
    const weighted: [string, number][] = [];
    for (const [feature, count] of counts) {
      const value = 1 + Math.log(count);
      weighted.push([feature, value]);
      sumOfSquares += value * value;
    }
    if (sumOfSquares === 0) return;
    const scale = weight / Math.sqrt(sumOfSquares);
    for (const [feature, value] of weighted) {
      const hash = hashFeature(feature);
      vector[hash % this.dimensions] += (hash >>> 31 === 1 ? -1 : 1) * value * scale;
    }
  }
}

function count(features: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const feature of features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  return counts;
}

function wordFeatures(tokens: Token[], compounds: string[]): Map<string, number> {
  return count([...tokens.map((token) => `w:${token.stem}`), ...compounds.map((compound) => `w:${compound}`)]);
}

function bigramFeatures(tokens: Token[]): Map<string, number> {
  const bigrams: string[] = [];
  for (let index = 1; index < tokens.length; index += 1) bigrams.push(`b:${(tokens[index - 1] as Token).stem} ${(tokens[index] as Token).stem}`);
  return count(bigrams);
}

function charFeatures(tokens: Token[]): Map<string, number> {
  const grams: string[] = [];
  for (const token of tokens) {
    if (token.raw.length < 3) continue;
    const word = `<${token.raw.slice(0, MAX_NGRAM_WORD)}>`;
    for (const size of CHAR_NGRAM_SIZES) {
      for (let start = 0; start + size <= word.length; start += 1) grams.push(`c:${word.slice(start, start + size)}`);
    }
  }
  return count(grams);
}
