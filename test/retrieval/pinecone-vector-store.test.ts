import { PineconeVectorStore } from '../../lambdas/shared/retrieval/pinecone-vector-store';
import type { VectorRecord } from '../../lambdas/shared/retrieval/vector-store';
import { mountPinecone, type MountedPinecone } from './mounted-pinecone';

/** Values parsed by the client's fetch live in another realm; compare them as plain JSON. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function records(count: number, dimension: number, textChars = 0): VectorRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `doc.md#${String(index).padStart(4, '0')}`,
    // 1024 values of this length make about 20 KB of JSON per record, like a real embedding.
    values: Array.from({ length: dimension }, (_, position) => (position === index % dimension ? 0.9 : -0.012345678901234)),
    metadata: { source: 'doc.md', text: 't'.repeat(textChars) },
  }));
}

describe('PineconeVectorStore against the local endpoint', () => {
  let pinecone: MountedPinecone;

  afterEach(async () => {
    await pinecone.close();
  });

  it('upserts in batches of at most 100 records and under 2 MB per request', async () => {
    // Prepare
    pinecone = await mountPinecone({ dimension: 1024 });
    const store = new PineconeVectorStore({ index: pinecone.index, namespace: 'kb' });

    // Act
    const result = await store.upsert(records(300, 1024, 2000));

    // Assess: 100 records of about 22 KB would make 2.2 MB, which Pinecone refuses, so batches are cut by size.
    expect(result).toStrictEqual({ upserted: 300, requests: 4 });
    expect(pinecone.upsertBytes.length).toBe(4);
    for (const bytes of pinecone.upsertBytes) expect(bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect((await store.describeStats()).recordCount).toBe(300);
  });

  it('cuts batches at 100 records when they are small', async () => {
    // Prepare
    pinecone = await mountPinecone({ dimension: 4 });
    const store = new PineconeVectorStore({ index: pinecone.index, namespace: 'kb' });

    // Act
    const result = await store.upsert(records(250, 4));

    // Assess
    expect(result).toStrictEqual({ upserted: 250, requests: 3 });
  });

  it('lists every id of a prefix across pages and deletes', async () => {
    // Prepare
    pinecone = await mountPinecone({ dimension: 4 });
    const store = new PineconeVectorStore({ index: pinecone.index, namespace: 'kb' });
    await store.upsert([...records(230, 4), { id: 'other.md#1', values: [1, 0, 0, 0] }]);
    pinecone.requests.length = 0;

    // Act
    const listed = await store.listIds('doc.md#');
    await store.delete(listed.slice(0, 200));
    const stats = await store.describeStats();

    // Assess
    expect(listed).toStrictEqual(records(230, 4).map((record) => record.id));
    expect(pinecone.requests).toStrictEqual([
      'GET /vectors/list', 'GET /vectors/list', 'GET /vectors/list',
      'POST /vectors/delete',
      'POST /describe_index_stats',
    ]);
    expect(stats).toStrictEqual({ dimension: 4, recordCount: 31, namespaces: { kb: 31 } });
  });

  it('queries with a filter and returns metadata, not values, by default', async () => {
    // Prepare
    pinecone = await mountPinecone({ dimension: 4 });
    const store = new PineconeVectorStore({ index: pinecone.index });
    await store.upsert([
      { id: 'a#1', values: [1, 0, 0, 0], metadata: { embedder: 'e1' } },
      { id: 'b#1', values: [1, 0.1, 0, 0], metadata: { embedder: 'e2' } },
    ]);

    // Act
    const matches = await store.query({ vector: [1, 0, 0, 0], topK: 5, filter: { embedder: { $eq: 'e2' } } });

    // Assess
    expect(plain(matches.map((match) => ({ ...match, score: Math.round(match.score * 1000) / 1000 })))).toStrictEqual([
      { id: 'b#1', score: 0.995, metadata: { embedder: 'e2' } },
    ]);
    expect(store.namespace).toBe('default');
  });
});
