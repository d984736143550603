import { join, resolve } from 'node:path';
import type { Embedder } from '../../lambdas/shared/embeddings/embedder';
import { OfflineEmbedder } from '../../lambdas/shared/embeddings/offline-embedder';
import { ingestPaths } from '../../ingest/ingest';
import { PineconeVectorStore } from '../../lambdas/shared/retrieval/pinecone-vector-store';
import { Retriever } from '../../lambdas/shared/retrieval/retriever';
import { toSources } from '../../lambdas/shared/retrieval/to-sources';
import type { ChunkMetadata } from '../../lambdas/shared/retrieval/types';
import type { VectorMatch, VectorQuery, VectorStore } from '../../lambdas/shared/retrieval/vector-store';
import type { ContextRetriever } from '../../lambdas/bot/context-retriever';
import { mountPinecone } from './mounted-pinecone';

const EMBEDDER = 'test-embedder/3';

function metadata(source: string, heading: string, text: string): ChunkMetadata {
  return { source, title: heading.split(' > ')[0] as string, heading, position: 0, text, embedder: EMBEDDER };
}

/** An embedder that records what it was asked; every text becomes [1, 0, 0]. */
function recordingEmbedder(): Embedder & { calls: string[][] } {
  const calls: string[][] = [];
  return { name: EMBEDDER, dimensions: 3, calls, embed: async (texts) => (calls.push([...texts]), texts.map(() => [1, 0, 0])) };
}

/** A store that answers every query with `matches` and records the queries. */
function fixedStore(matches: VectorMatch[]): VectorStore & { queries: VectorQuery[] } {
  const queries: VectorQuery[] = [];
  const unused = (): never => {
    throw new Error('not used by retrieval');
  };
  return {
    namespace: 'kb', queries,
    query: async (query) => (queries.push(query), matches),
    upsert: unused, delete: unused, listIds: unused, describeStats: unused,
  };
}

describe('Retriever', () => {
  const matches: VectorMatch[] = [
    { id: 'docs/deploy.md#aa', score: 0.61234, metadata: metadata('docs/deploy.md', 'Deploying > Bootstrap', 'Run `npx cdk bootstrap` once per account and region.') },
    { id: 'docs/deploy.md#bb', score: 0.4, metadata: metadata('docs/deploy.md', 'Deploying > Deploy', '```sh\nnpx cdk deploy\n```\n\nShows the IAM changes first.') },
    { id: 'foreign#1', score: 0.35, metadata: { something: 'else' } },
    { id: 'docs/protocol.md#cc', score: 0.1499, metadata: metadata('docs/protocol.md', 'Protocol', 'Frames are JSON.') },
  ];

  it('embeds the question with recent context in one call, queries once, drops weak matches and numbers the rest', async () => {
    // Prepare
    const embedder = recordingEmbedder();
    const store = fixedStore(matches);
    const clock = [100, 112.34];
    const retriever = new Retriever({ embedder, store, now: () => clock.shift() as number });

    // Act
    const result = await retriever.retrieve('  and how do I deploy it?  ', ['Ann: I want to try the chat on AWS', 'Bob: cdk is installed']);

    // Assess
    expect(embedder.calls).toStrictEqual([['and how do I deploy it?\n\nAnn: I want to try the chat on AWS\nBob: cdk is installed']]);
    expect(store.queries).toStrictEqual([{ vector: [1, 0, 0], topK: 5, includeMetadata: true, filter: { embedder: { $eq: EMBEDDER } } }]);
    expect(result).toStrictEqual({
      passages: [
        {
          n: 1, id: 'docs/deploy.md#aa', title: 'Deploying > Bootstrap', source: 'docs/deploy.md', score: 0.6123,
          snippet: 'Run `npx cdk bootstrap` once per account and region.', text: 'Run `npx cdk bootstrap` once per account and region.',
        },
        {
          n: 2, id: 'docs/deploy.md#bb', title: 'Deploying > Deploy', source: 'docs/deploy.md', score: 0.4,
          snippet: 'npx cdk deploy Shows the IAM changes first.', text: '```sh\nnpx cdk deploy\n```\n\nShows the IAM changes first.',
        },
      ],
      tookMs: 12.3,
    });
  });

  it("plugs into the bot's ContextRetriever seam as it is", () => {
    // Act: this assignment is the assertion (a type error if the shapes drift apart).
    const seam: ContextRetriever = new Retriever({ embedder: recordingEmbedder(), store: fixedStore([]) });

    // Assess
    expect(typeof seam.retrieve).toBe('function');
  });

  it('gives the sources of the ai end event in citation order', async () => {
    // Prepare
    const retriever = new Retriever({ embedder: recordingEmbedder(), store: fixedStore(matches) });

    // Act
    const { passages } = await retriever.retrieve('deploy?');

    // Assess
    expect(toSources(passages)).toStrictEqual([
      { id: 'docs/deploy.md#aa', title: 'Deploying > Bootstrap', source: 'docs/deploy.md', score: 0.6123, snippet: 'Run `npx cdk bootstrap` once per account and region.' },
      { id: 'docs/deploy.md#bb', title: 'Deploying > Deploy', source: 'docs/deploy.md', score: 0.4, snippet: 'npx cdk deploy Shows the IAM changes first.' },
    ]);
  });

  it('honours its threshold and topK, takes context as one text too, and keeps only the end of a long context', async () => {
    // Prepare
    const embedder = recordingEmbedder();
    const store = fixedStore(matches);
    const retriever = new Retriever({ embedder, store, minScore: 0.5, topK: 2, contextChars: 20 });

    // Act
    const { passages } = await retriever.retrieve('deploy?', 'first words then the last few words');

    // Assess
    expect(passages.map((passage) => [passage.n, passage.id])).toStrictEqual([[1, 'docs/deploy.md#aa']]);
    expect(store.queries[0]?.topK).toBe(2);
    expect(embedder.calls).toStrictEqual([['deploy?\n\nthe last few words']]);
  });

  it('answers a blank question with no passages and no calls', async () => {
    // Prepare
    const embedder = recordingEmbedder();
    const store = fixedStore(matches);

    // Act
    const result = await new Retriever({ embedder, store }).retrieve('   ', ['context']);

    // Assess
    expect(result).toStrictEqual({ passages: [], tookMs: 0 });
    expect([embedder.calls, store.queries]).toStrictEqual([[], []]);
  });

  it('cuts long snippets between words', async () => {
    // Prepare
    const long = { id: 'a#1', score: 0.9, metadata: metadata('a.md', 'A', `${'word '.repeat(100)}end`) };
    const retriever = new Retriever({ embedder: recordingEmbedder(), store: fixedStore([long]), snippetChars: 30 });

    // Act
    const { passages } = await retriever.retrieve('q');

    // Assess
    expect(passages[0]?.snippet).toBe('word word word word word word…');
  });
});

describe('Retriever over the sample knowledge base (offline embedder, local Pinecone, real client)', () => {
  it('finds the deploy page for "how do I deploy this?" and nothing for an off-topic question', async () => {
    // Prepare
    const pinecone = await mountPinecone();
    try {
      const store = new PineconeVectorStore({ index: pinecone.index });
      const embedder = new OfflineEmbedder();
      const root = resolve(__dirname, '../..');
      await ingestPaths([join(root, 'knowledge')], { store, embedder, baseDir: root });
      const retriever = new Retriever({ embedder, store });

      // Act
      const deploy = await retriever.retrieve('how do I deploy this?');
      const bootstrap = await retriever.retrieve('Do I need to bootstrap the account before the first deploy?');
      const offTopic = await retriever.retrieve('What is the capital of France?');

      // Assess
      expect(deploy.passages.map((passage) => passage.source)).toContain('knowledge/deploy.md');
      expect(deploy.passages.map((passage) => passage.n)).toStrictEqual(deploy.passages.map((_, index) => index + 1));
      expect([bootstrap.passages[0]?.source, bootstrap.passages[0]?.title]).toStrictEqual([
        'knowledge/deploy.md',
        'Deploying to AWS > Bootstrap (once per account and region)',
      ]);
      expect(offTopic.passages).toStrictEqual([]);
    } finally {
      await pinecone.close();
    }
  });
});
