import '../local/quiet-sdk-warning';
import { RETRIEVAL_DEFAULTS } from '../lambdas/shared/retrieval/constants';
import { startLocalPinecone } from '../local/pinecone';
import { measureRecall, recallAt, type Outcome } from './recall-outcomes';

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

async function main(): Promise<void> {
  const pinecone = await startLocalPinecone();
  try {
    const { outcomes, embedder, questions, ingested } = await measureRecall(pinecone.host, TOP_K);
    console.log(`Ingested knowledge/: ${ingested}`);
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
  const recall = (k: number): number => recallAt(outcomes, k);
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
