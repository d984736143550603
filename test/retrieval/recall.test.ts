// Recall regression: the offline embedder must keep finding the right file of knowledge/ for the labelled questions
// of questions.json. The floors are what `npm run bench:recall` measured when they were set (offline embedder, top 5):
// recall@1 64% (16/25), recall@3 92% (23/25), recall@5 100% (25/25); at the default threshold 23/25 on-topic
// questions keep the right file and 4/4 off-topic ones retrieve nothing. Raise them when retrieval improves.
import { RETRIEVAL_DEFAULTS } from '../../lambdas/shared/retrieval/constants';
import { startLocalPinecone } from '../../local/pinecone';
import { measureRecall, recallAt, type Outcome } from '../../scripts/recall-outcomes';

const TOP_K = 5;
let outcomes: Outcome[];

beforeAll(async () => {
  const pinecone = await startLocalPinecone();
  try {
    ({ outcomes } = await measureRecall(pinecone.host, TOP_K));
  } finally {
    await pinecone.stop();
  }
});

test('asks every labelled question: 25 on-topic, 4 off-topic', () => {
  expect([outcomes.filter((o) => o.expected !== null).length, outcomes.filter((o) => o.expected === null).length]).toStrictEqual([25, 4]);
});

test.each([
  [1, 0.64],
  [3, 0.92],
  [5, 1],
])('recall@%i stays at or above %p', (k, floor) => {
  expect(recallAt(outcomes, k)).toBeGreaterThanOrEqual(floor);
});

test(`at the default threshold (${RETRIEVAL_DEFAULTS.minScore}) on-topic questions keep their file and off-topic ones get nothing`, () => {
  const threshold = RETRIEVAL_DEFAULTS.minScore;
  const kept = outcomes.filter((o) => o.expected !== null && o.rank > 0 && o.hitScore >= threshold);
  const answered = outcomes.filter((o) => o.expected === null && o.topScore >= threshold);
  expect(kept.length).toBeGreaterThanOrEqual(23);
  expect(answered.map((o) => o.question)).toStrictEqual([]);
});
