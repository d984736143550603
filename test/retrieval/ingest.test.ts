import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OfflineEmbedder } from '../../lambdas/shared/embeddings/offline-embedder';
import { DimensionMismatchError } from '../../ingest/errors';
import { ingestPaths, type IngestOptions } from '../../ingest/ingest';
import type { IngestSummary } from '../../ingest/ingest-summary';
import { PineconeVectorStore } from '../../lambdas/shared/retrieval/pinecone-vector-store';
import { mountPinecone, type MountedPinecone } from './mounted-pinecone';

const DEPLOY = '# Deploy\n\n## Bootstrap\n\nRun npx cdk bootstrap once per account and region.\n\n## Deploy\n\nRun npx cdk deploy.\n';
const PROTOCOL = '# Protocol\n\nFrames are JSON objects with a type.\n';

function summary(overrides: Partial<IngestSummary>): Omit<IngestSummary, 'tookMs'> {
  return {
    files: 0, unchanged: 0, added: 0, updated: 0, skipped: 0, chunks: 0, embedded: 0,
    upserted: 0, upsertRequests: 0, deleted: 0, pruned: 0, errors: [], ...overrides,
  };
}

describe('ingestPaths, against the local Pinecone endpoint through the real client', () => {
  let baseDir: string;
  let pinecone: MountedPinecone;
  let store: PineconeVectorStore;
  const embedder = new OfflineEmbedder({ dimensions: 64 });

  async function ingest(paths: string[], options: Partial<IngestOptions> = {}): Promise<{ result: Omit<IngestSummary, 'tookMs'>; log: string[] }> {
    const log: string[] = [];
    const { tookMs, ...result } = await ingestPaths(paths.map((path) => join(baseDir, path)), {
      store, embedder, baseDir, log: (line) => log.push(line), ...options,
    });
    expect(tookMs).toBeGreaterThanOrEqual(0);
    return { result, log };
  }

  /** Records as stored, read through the client, not through the store under test. */
  async function readRecords(ids: string[]) {
    return (await pinecone.index.namespace('kb').fetch({ ids })).records;
  }

  function write(path: string, content: string | Buffer): void {
    mkdirSync(join(baseDir, path, '..'), { recursive: true });
    writeFileSync(join(baseDir, path), content);
  }

  beforeEach(async () => {
    baseDir = mkdtempSync(join(tmpdir(), 'ingest-test-'));
    pinecone = await mountPinecone({ dimension: 64 });
    store = new PineconeVectorStore({ index: pinecone.index, namespace: 'kb' });
    write('kb/deploy.md', DEPLOY);
    write('kb/sub/protocol.md', PROTOCOL);
    write('kb/ignored.json', '{}');
  });

  afterEach(async () => {
    await pinecone.close();
    rmSync(baseDir, { recursive: true, force: true });
  });

  it('loads files and folders, reporting progress and a summary', async () => {
    // Act
    const { result, log } = await ingest(['kb']);

    // Assess
    expect(result).toStrictEqual(summary({ files: 2, added: 2, chunks: 3, embedded: 3, upserted: 3, upsertRequests: 2 }));
    expect(log).toStrictEqual([
      `Ingesting 2 files into namespace "kb" with ${embedder.name}`,
      '[1/2] kb/deploy.md: 2 chunks, 2 upserted, 0 deleted',
      '[2/2] kb/sub/protocol.md: 1 chunks, 1 upserted, 0 deleted',
    ]);
    expect((await store.listIds('')).map((id) => id.replace(/[0-9a-f]{16}$/, 'HASH'))).toStrictEqual([
      'kb/deploy.md#HASH', 'kb/deploy.md#HASH', 'kb/sub/protocol.md#HASH',
    ]);
    const [record] = Object.values((await readRecords(await store.listIds('kb/sub/'))));
    expect(JSON.parse(JSON.stringify(record?.metadata))).toStrictEqual({
      source: 'kb/sub/protocol.md', title: 'Protocol', heading: 'Protocol', position: 0,
      text: 'Frames are JSON objects with a type.', embedder: embedder.name,
    });
  });

  it('changes nothing when run again on unchanged files: one list request per file, no writes', async () => {
    // Prepare
    await ingest(['kb']);
    pinecone.requests.length = 0;

    // Act
    const { result } = await ingest(['kb']);

    // Assess
    expect(result).toStrictEqual(summary({ files: 2, unchanged: 2, chunks: 3 }));
    expect(pinecone.requests).toStrictEqual(['POST /describe_index_stats', 'GET /vectors/list', 'GET /vectors/list']);
  });

  it("replaces a changed file's chunks: new ones upserted, stale ones deleted, other files untouched", async () => {
    // Prepare
    await ingest(['kb']);
    const protocolIds = await store.listIds('kb/sub/');
    write('kb/deploy.md', DEPLOY.replace('Run npx cdk deploy.', 'Run npx cdk deploy --require-approval never.'));

    // Act
    const { result, log } = await ingest(['kb']);

    // Assess
    expect(result).toStrictEqual(summary({ files: 2, updated: 1, unchanged: 1, chunks: 3, embedded: 1, upserted: 1, upsertRequests: 1, deleted: 1 }));
    expect(log[1]).toBe('[1/2] kb/deploy.md: 2 chunks, 1 upserted, 1 deleted');
    const texts = Object.values(await readRecords(await store.listIds('kb/deploy.md#'))).map((record) => record.metadata?.text).sort();
    expect(texts).toStrictEqual(['Run npx cdk bootstrap once per account and region.', 'Run npx cdk deploy --require-approval never.']);
    expect(await store.listIds('kb/sub/')).toStrictEqual(protocolIds);
  });

  it('deletes the chunks of an emptied file', async () => {
    // Prepare
    await ingest(['kb']);
    write('kb/deploy.md', '\n');

    // Act
    const { result } = await ingest(['kb']);

    // Assess
    expect(result).toStrictEqual(summary({ files: 2, updated: 1, unchanged: 1, chunks: 1, deleted: 2 }));
    expect(await store.listIds('kb/deploy.md#')).toStrictEqual([]);
  });

  it('with prune, removes the chunks of files gone from the folders given, and only those', async () => {
    // Prepare
    write('notes.md', 'Notes kept outside the folder.');
    await ingest(['kb', 'notes.md']);
    unlinkSync(join(baseDir, 'kb/sub/protocol.md'));
    unlinkSync(join(baseDir, 'notes.md'));

    // Act
    const withoutPrune = await ingest(['kb']);
    const withPrune = await ingest(['kb'], { prune: true });

    // Assess
    expect(withoutPrune.result).toStrictEqual(summary({ files: 1, unchanged: 1, chunks: 2 }));
    expect(withPrune.result).toStrictEqual(summary({ files: 1, unchanged: 1, chunks: 2, deleted: 1, pruned: 1 }));
    expect(withPrune.log[withPrune.log.length - 1]).toBe('  - kb/sub/protocol.md: gone, 1 chunks deleted');
    expect((await store.listIds('')).map((id) => id.replace(/#.*/, ''))).toStrictEqual(['kb/deploy.md', 'kb/deploy.md', 'notes.md']);
  });

  it('with prune, removes the chunks of a file given by name that no longer exists', async () => {
    // Prepare
    write('notes.md', 'Some notes.');
    await ingest(['notes.md']);
    unlinkSync(join(baseDir, 'notes.md'));

    // Act
    const { result } = await ingest(['notes.md'], { prune: true });

    // Assess
    expect(result).toStrictEqual(summary({ deleted: 1, pruned: 1 }));
    expect(await store.listIds('')).toStrictEqual([]);
  });

  it('skips a file that is not UTF-8 with a clear error, and carries on with the others', async () => {
    // Prepare
    write('kb/latin1.md', Buffer.from('# Caf\xe9\n\nAu lait.', 'latin1'));

    // Act
    const { result, log } = await ingest(['kb', 'missing.md']);

    // Assess
    expect(result).toStrictEqual(summary({
      files: 3, added: 2, skipped: 2, chunks: 3, embedded: 3, upserted: 3, upsertRequests: 2,
      errors: [
        { source: 'missing.md', code: 'not_found', message: 'missing.md: no such file or folder' },
        { source: 'kb/latin1.md', code: 'not_utf8', message: 'kb/latin1.md is not UTF-8 text (invalid byte 0xe9 at offset 5): convert it, e.g. iconv -f latin1 -t UTF-8' },
      ],
    }));
    expect(log).toContain('  ! kb/latin1.md is not UTF-8 text (invalid byte 0xe9 at offset 5): convert it, e.g. iconv -f latin1 -t UTF-8 (skipped)');
    expect((await store.listIds('')).length).toBe(3);
  });

  it('replaces every vector when the embedder changes, since vectors of two models do not compare', async () => {
    // Prepare
    await ingest(['kb']);
    const other = { name: 'other-model/64', dimensions: 64, embed: (texts: readonly string[]) => embedder.embed(texts) };

    // Act
    const { result } = await ingest(['kb'], { embedder: other });

    // Assess
    expect(result).toStrictEqual(summary({ files: 2, updated: 2, chunks: 3, embedded: 3, upserted: 3, upsertRequests: 2, deleted: 3 }));
  });

  it('stops before embedding anything when the index dimension differs from the embedder', async () => {
    // Prepare
    await pinecone.close();
    pinecone = await mountPinecone({ dimension: 1024 });
    store = new PineconeVectorStore({ index: pinecone.index, namespace: 'kb' });

    // Act and assess
    await expect(ingest(['kb'])).rejects.toThrow(
      new DimensionMismatchError(
        `The index holds vectors of dimension 1024 but the embedder ${embedder.name} makes 64: use an index of dimension 64 (metric cosine) or the embedder it was made for`,
      ),
    );
    expect(pinecone.requests).toStrictEqual(['POST /describe_index_stats']);
  });
});
