import { OfflineEmbedder } from '../../lambdas/shared/embeddings/offline-embedder';
import { stem } from '../../lambdas/shared/embeddings/offline-tokens';

function cosine(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, value, index) => sum + value * (b[index] as number), 0);
}

function norm(vector: readonly number[]): number {
  return Math.sqrt(cosine(vector, vector));
}

describe('OfflineEmbedder', () => {
  const embedder = new OfflineEmbedder();

  it('makes normalized vectors of 1024 dimensions, like Titan Text Embeddings V2, one per text in order', async () => {
    // Act
    const vectors = await embedder.embed(['How do I deploy the stack?', 'npx cdk bootstrap', '']);

    // Assess
    expect([embedder.name, embedder.dimensions]).toStrictEqual(['offline-hashed-ngrams-v1/1024', 1024]);
    expect(vectors.map((vector) => vector.length)).toStrictEqual([1024, 1024, 1024]);
    for (const vector of vectors) expect(norm(vector)).toBeCloseTo(1, 4);
  });

  it('is deterministic', async () => {
    // Act
    const [first] = await embedder.embed(['Where are the stack outputs listed?']);
    const [second] = await new OfflineEmbedder().embed(['Where are the stack outputs listed?']);

    // Assess
    expect(second).toStrictEqual(first);
  });

  it('puts similar texts closer than unrelated ones', async () => {
    // Prepare
    const [question, answer, unrelated, reworded] = await embedder.embed([
      'How do I deploy the chat to AWS?',
      'Deploying to AWS: run npx cdk deploy after bootstrapping the account and region.',
      'The WebSocket closes with code 1009 when a frame is over 32 KB.',
      'deployment of the chat on aws',
    ]);

    // Assess
    const related = cosine(question as number[], answer as number[]);
    expect(related).toBeGreaterThan(cosine(question as number[], unrelated as number[]) + 0.1);
    expect(cosine(question as number[], reworded as number[])).toBeGreaterThan(0.5);
  });

  it('never returns an all-zero vector (Pinecone refuses them), even for stop words or nothing', async () => {
    // Act
    const vectors = await embedder.embed(['', '   ', 'how do I', '?!']);

    // Assess
    for (const vector of vectors) expect(vector.some((value) => value !== 0)).toBe(true);
  });

  it('stems inflections to one form', () => {
    // Act and assess
    expect(['deploy', 'deploys', 'deploying', 'deployed', 'deployment'].map(stem)).toStrictEqual(['deploy', 'deploy', 'deploy', 'deploy', 'deploy']);
    expect(['configure', 'configured', 'configuring', 'configuration'].map(stem)).toStrictEqual(['configur', 'configur', 'configur', 'configur']);
    expect(['queries', 'batches', 'running', 'stopped'].map(stem)).toStrictEqual(['query', 'batch', 'run', 'stop']);
  });

  it('rejects a dimension it cannot use', () => {
    // Act and assess
    expect(() => new OfflineEmbedder({ dimensions: 0 })).toThrow(new TypeError('OfflineEmbedder dimensions must be an integer of at least 8, got 0'));
  });
});
