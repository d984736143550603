import '../local/quiet-sdk-warning';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { OfflineEmbedder } from '../lambdas/shared/embeddings/offline-embedder';
import { RETRIEVAL_DEFAULTS } from '../lambdas/shared/retrieval/constants';
import { ingestPaths } from '../ingest/ingest';
import { formatIngestSummary } from '../ingest/ingest-summary';
import { openPineconeIndex } from '../lambdas/shared/retrieval/open-pinecone-index';
import { PineconeVectorStore } from '../lambdas/shared/retrieval/pinecone-vector-store';
import { Retriever } from '../lambdas/shared/retrieval/retriever';
import { startLocalPinecone } from '../local/pinecone';
import { PROJECT_ROOT } from '../lib/project-root';

/**
 * Benchmark: how well the offline embedder finds the right file of the sample knowledge base. Ingests knowledge/ into
 * the local Pinecone-compatible endpoint through the real client, asks every labelled question of
 * test/retrieval/questions.json, and prints recall@1/3/5 and MRR (the rank of the first passage from the expected
 * file), the retrieval time, and how the score threshold separates on-topic from off-topic questions.
 *
 *   npm run bench:recall
 *   MIN_SCORE=0.25 npm run bench:recall
 */

const TOP_K = 5;
const MIN_SCORE = Number(process.env.MIN_SCORE ?? RETRIEVAL_DEFAULTS.minScore);

const questionsSchema = z.object({
  questions: z.array(z.object({ question: z.string(), expected: z.union([z.string(), z.array(z.string()), z.null()]) })),
});

interface Outcome {
  question: string;
  expected: string[] | null;
  /** 1-based rank of the first passage from an expected file among the top 5, before the threshold; 0 if absent. */
  rank: number;
  topScore: number;
  /** Score of the first expected passage. */
  hitScore: number;
  tookMs: number;
  top: string;
}

async function main(): Promise<void> {
  const { questions } = questionsSchema.parse(JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/retrieval/questions.json'), 'utf8')));
  const pinecone = await startLocalPinecone();
  try {
    const store = new PineconeVectorStore({ index: openPineconeIndex({ apiKey: 'local', host: pinecone.host }), namespace: 'bench' });
    const embedder = new OfflineEmbedder();
    const summary = await ingestPaths([join(PROJECT_ROOT, 'knowledge')], { store, embedder, baseDir: PROJECT_ROOT });
    console.log(`Ingested knowledge/: ${formatIngestSummary(summary)}`);
    const retriever = new Retriever({ store, embedder, topK: TOP_K, minScore: -1 });
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
    const embedTimes: number[] = [];
    for (const { question } of questions) {
      const started = performance.now();
      await embedder.embed([question]);
      embedTimes.push(performance.now() - started);
    }
    report(outcomes, mean(embedTimes));
  } finally {
    await pinecone.stop();
  }
}

function report(outcomes: Outcome[], embedMs: number): void {
  const onTopic = outcomes.filter((outcome) => outcome.expected !== null);
  const offTopic = outcomes.filter((outcome) => outcome.expected === null);
  console.log('\nrank  top    hit    question -> best passage');
  for (const outcome of outcomes) {
    const rank = outcome.expected === null ? ' off' : outcome.rank === 0 ? '   -' : `   ${outcome.rank}`;
    console.log(`${rank}  ${outcome.topScore.toFixed(3)}  ${outcome.hitScore.toFixed(3)}  ${outcome.question} -> ${outcome.top}`);
  }
  const recall = (k: number): number => onTopic.filter((outcome) => outcome.rank >= 1 && outcome.rank <= k).length / onTopic.length;
  const mrr = onTopic.reduce((sum, outcome) => sum + (outcome.rank ? 1 / outcome.rank : 0), 0) / onTopic.length;
  const times = outcomes.map((outcome) => outcome.tookMs).sort((a, b) => a - b);
  const percentile = (p: number): number => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] as number;
  console.log(`\nOffline embedder, ${onTopic.length} on-topic questions, top ${TOP_K} (before the threshold):`);
  console.log(`recall@1 ${pct(recall(1))}  recall@3 ${pct(recall(3))}  recall@5 ${pct(recall(5))}  MRR ${mrr.toFixed(3)}`);
  console.log(
    `retrieval time (embed + query through the Pinecone client, loopback): mean ${mean(times).toFixed(1)} ms, ` +
      `p50 ${percentile(50).toFixed(1)} ms, p95 ${percentile(95).toFixed(1)} ms; of which embedding the question: mean ${embedMs.toFixed(2)} ms`,
  );

  console.log(`\nThreshold (minScore): on-topic questions still citing the right file / off-topic questions answered without sources`);
  for (const threshold of [0.1, 0.15, 0.2, 0.25, 0.3]) {
    const kept = onTopic.filter((outcome) => outcome.rank > 0 && outcome.hitScore >= threshold).length;
    const silent = offTopic.filter((outcome) => outcome.topScore < threshold).length;
    const marker = Math.abs(threshold - MIN_SCORE) < 1e-9 ? '  <- default' : '';
    console.log(`  ${threshold.toFixed(2)}: ${kept}/${onTopic.length} on-topic, ${silent}/${offTopic.length} off-topic${marker}`);
  }
  const lowestHit = Math.min(...onTopic.filter((outcome) => outcome.rank === 1).map((outcome) => outcome.hitScore));
  const highestOff = Math.max(...offTopic.map((outcome) => outcome.topScore));
  console.log(`lowest score of a right first passage ${lowestHit.toFixed(3)}; highest score of an off-topic question ${highestOff.toFixed(3)}`);
}

function pct(value: number): string {
  return `${(value * 100).toFixed(0)}%`;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
