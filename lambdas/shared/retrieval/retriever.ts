import type { Embedder } from '../embeddings/embedder';
import { chunkMetadataSchema } from './chunk-metadata';
import { RETRIEVAL_DEFAULTS } from './constants';
import { snippet } from './snippet';
import type { Passage, RetrievalResult } from './types';
import type { VectorStore } from './vector-store';

export interface RetrieverProps {
  embedder: Embedder;
  store: VectorStore;
  /** Matches asked of the store. @default 5 */
  topK?: number;
  /** Cosine similarity below which a match is dropped. @default 0.15 (tuned for the offline embedder) */
  minScore?: number;
  /** Characters of recent conversation embedded after the question. @default 240 */
  contextChars?: number;
  /** Characters of each passage's snippet. @default 200 */
  snippetChars?: number;
  /** Milliseconds clock. @default performance.now */
  now?: () => number;
}

/**
 * Finds the passages that answer a question: one embedding call (the question, then the end of the recent
 * conversation, so a follow-up such as "and how do I remove it?" still finds its topic), one query of the store
 * restricted to vectors of the same embedder, matches below `minScore` dropped, the rest numbered 1..n for citation.
 */
export class Retriever {
  private readonly embedder: Embedder;
  private readonly store: VectorStore;
  private readonly topK: number;
  private readonly minScore: number;
  private readonly contextChars: number;
  private readonly snippetChars: number;
  private readonly now: () => number;

  public constructor(props: RetrieverProps) {
    this.embedder = props.embedder;
    this.store = props.store;
    this.topK = props.topK ?? RETRIEVAL_DEFAULTS.topK;
    this.minScore = props.minScore ?? RETRIEVAL_DEFAULTS.minScore;
    this.contextChars = props.contextChars ?? RETRIEVAL_DEFAULTS.contextChars;
    this.snippetChars = props.snippetChars ?? RETRIEVAL_DEFAULTS.snippetChars;
    this.now = props.now ?? (() => performance.now());
    if (!Number.isInteger(this.topK) || this.topK < 1) throw new TypeError(`topK must be a positive integer, got ${String(props.topK)}`);
  }

  /** `recentContext`: the latest messages of the conversation, oldest first, as lines or as one text. */
  public async retrieve(question: string, recentContext: string | readonly string[] = []): Promise<RetrievalResult> {
    if (question.trim() === '') return { passages: [], tookMs: 0 };
    const started = this.now();
    const [vector] = await this.embedder.embed([this.queryText(question, recentContext)]);
    if (!vector) throw new Error(`Embedder ${this.embedder.name} returned no vector`);
    const matches = await this.store.query({
      vector,
      topK: this.topK,
      includeMetadata: true,
      filter: { embedder: { $eq: this.embedder.name } },
    });
    const passages: Passage[] = [];
    for (const match of matches) {
      if (match.score < this.minScore) continue;
      const metadata = chunkMetadataSchema.safeParse(match.metadata);
      if (!metadata.success) continue;
      const { title, heading, source, text } = metadata.data;
      passages.push({
        n: passages.length + 1,
        id: match.id,
        title: heading || title,
        source,
        score: Math.round(match.score * 10_000) / 10_000,
        snippet: snippet(text, this.snippetChars),
        text,
      });
    }
    return { passages, tookMs: Math.round((this.now() - started) * 10) / 10 };
  }

  /** The question, then as much of the end of the recent conversation as `contextChars` allows (whole words). */
  public queryText(question: string, recentContext: string | readonly string[]): string {
    const lines = typeof recentContext === 'string' ? [recentContext] : recentContext;
    const context = lines.map((line) => line.trim()).filter((line) => line !== '').join('\n');
    if (context === '' || this.contextChars <= 0) return question.trim();
    let tail = context.slice(-this.contextChars);
    if (tail.length < context.length) tail = tail.replace(/^\S*\s*/, '');
    return tail === '' ? question.trim() : `${question.trim()}\n\n${tail}`;
  }
}
