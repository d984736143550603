import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { OfflineEmbedder } from '../lambdas/shared/embeddings/offline-embedder';
import { ingestPaths } from '../ingest/ingest';
import { formatIngestSummary } from '../ingest/ingest-summary';
import { openPineconeIndex } from '../lambdas/shared/retrieval/open-pinecone-index';
import { PineconeVectorStore } from '../lambdas/shared/retrieval/pinecone-vector-store';
import { Retriever } from '../lambdas/shared/retrieval/retriever';

const ROOT = resolve(__dirname, '..');

const questionsSchema = z.object({
  questions: z.array(z.object({ question: z.string(), expected: z.union([z.string(), z.array(z.string()), z.null()]) })),
});

export type LabelledQuestion = z.infer<typeof questionsSchema>['questions'][number];

export interface Outcome {
  question: string;
  expected: string[] | null;
  /** 1-based rank of the first passage from an expected file among the top k, before the threshold; 0 if absent. */
  rank: number;
  topScore: number;
  /** Score of the first expected passage. */
  hitScore: number;
  tookMs: number;
  top: string;
}

/** The labelled questions of test/retrieval/questions.json. */
export function labelledQuestions(): LabelledQuestion[] {
  return questionsSchema.parse(JSON.parse(readFileSync(join(ROOT, 'test/retrieval/questions.json'), 'utf8'))).questions;
}

/**
 * Ingests knowledge/ with the offline embedder into the Pinecone-compatible index at `host` (through the real client)
 * and asks every labelled question, keeping the top `topK` passages whatever their score.
 */
export async function measureRecall(host: string, topK: number) {
  const questions = labelledQuestions();
  const store = new PineconeVectorStore({ index: openPineconeIndex({ apiKey: 'local', host }), namespace: 'recall' });
  const embedder = new OfflineEmbedder();
  const ingested = formatIngestSummary(await ingestPaths([join(ROOT, 'knowledge')], { store, embedder, baseDir: ROOT }));
  const retriever = new Retriever({ store, embedder, topK, minScore: -1 });
  await retriever.retrieve('warm up');

  const outcomes: Outcome[] = [];
  for (const { question, expected } of questions) {
    const { passages, tookMs } = await retriever.retrieve(question);
    const wanted = expected === null ? null : [expected].flat();
    const hit = wanted ? passages.find((passage) => wanted.includes(passage.source)) : undefined;
    outcomes.push({
      question,
      expected: wanted,
      rank: hit?.n ?? 0,
      topScore: passages[0]?.score ?? 0,
      hitScore: hit?.score ?? 0,
      tookMs,
      top: passages[0] ? `${passages[0].source.replace('knowledge/', '')} | ${passages[0].title}` : '-',
    });
  }
  return { outcomes, embedder, questions, ingested };
}

/** Share of the on-topic questions whose expected file is among the first `k` passages. */
export function recallAt(outcomes: readonly Outcome[], k: number): number {
  const onTopic = outcomes.filter((outcome) => outcome.expected !== null);
  return onTopic.filter((outcome) => outcome.rank >= 1 && outcome.rank <= k).length / onTopic.length;
}
