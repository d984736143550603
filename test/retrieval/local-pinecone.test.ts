import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Pinecone } from '@pinecone-database/pinecone';
import { createLocalPineconeHandler, startLocalPinecone, type LocalPineconeServer } from '../../local/pinecone';
import { mountPinecone, type MountedPinecone } from './mounted-pinecone';

const round = (value: number | undefined): number => Math.round((value ?? NaN) * 1e6) / 1e6;
/** The client's objects carry `undefined` fields (e.g. `sparseValues`); compare what went over the wire. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const json = async (response: Response): Promise<unknown> => JSON.parse(await response.text()) as unknown;

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected a rejection');
}

describe('local Pinecone endpoint, through the official client', () => {
  let pinecone: MountedPinecone;

  beforeEach(async () => {
    pinecone = await mountPinecone({ dimension: 4 });
  });

  afterEach(async () => {
    await pinecone.close();
  });

  async function seed(): Promise<void> {
    await pinecone.index.namespace('docs').upsert({
      records: [
        { id: 'a.md#1', values: [1, 0, 0, 0], metadata: { source: 'a.md', tags: ['x', 'y'] } },
        { id: 'a.md#2', values: [0.6, 0.8, 0, 0], metadata: { source: 'a.md', position: 2 } },
        { id: 'b.md#1', values: [0, 1, 0, 0], metadata: { source: 'b.md' } },
      ],
    });
  }

  it('upserts and describes the index: namespaces, record counts, dimension', async () => {
    // Act
    await seed();
    await pinecone.index.namespace('other').upsert({ records: [{ id: 'z', values: [0, 0, 1, 0] }] });
    const stats = await pinecone.index.describeIndexStats();

    // Assess
    expect(stats).toStrictEqual({
      namespaces: { docs: { recordCount: 3 }, other: { recordCount: 1 } },
      dimension: 4,
      indexFullness: 0,
      totalRecordCount: 4,
    });
  });

  it('queries by cosine similarity, best first, with topK, metadata and values on request', async () => {
    // Prepare
    await seed();

    // Act
    const withMetadata = await pinecone.index.namespace('docs').query({ vector: [1, 0, 0, 0], topK: 2, includeMetadata: true });
    const withValues = await pinecone.index.namespace('docs').query({ vector: [0, 2, 0, 0], topK: 1, includeValues: true });

    // Assess
    expect(plain(withMetadata.matches.map((match) => ({ ...match, score: round(match.score) })))).toStrictEqual([
      { id: 'a.md#1', score: 1, values: [], metadata: { source: 'a.md', tags: ['x', 'y'] } },
      { id: 'a.md#2', score: 0.6, values: [], metadata: { source: 'a.md', position: 2 } },
    ]);
    expect(withMetadata.namespace).toBe('docs');
    expect(plain(withValues.matches.map((match) => ({ ...match, score: round(match.score) })))).toStrictEqual([{ id: 'b.md#1', score: 1, values: [0, 1, 0, 0] }]);
  });

  it('filters queries on metadata with $eq, $in (also against list values), $gte and $and/$or', async () => {
    // Prepare
    await seed();
    const ids = async (filter: object): Promise<string[]> =>
      (await pinecone.index.namespace('docs').query({ vector: [1, 1, 0, 0], topK: 10, filter })).matches.map((match) => match.id).sort();

    // Act and assess
    expect(await ids({ source: { $eq: 'b.md' } })).toStrictEqual(['b.md#1']);
    expect(await ids({ source: 'a.md' })).toStrictEqual(['a.md#1', 'a.md#2']);
    expect(await ids({ tags: { $in: ['y', 'q'] } })).toStrictEqual(['a.md#1']);
    expect(await ids({ position: { $gte: 2 } })).toStrictEqual(['a.md#2']);
    expect(await ids({ $or: [{ source: 'b.md' }, { position: { $lt: 5 } }] })).toStrictEqual(['a.md#2', 'b.md#1']);
    expect(await ids({ $and: [{ source: { $ne: 'b.md' } }, { tags: { $exists: false } }] })).toStrictEqual(['a.md#2']);
  });

  it('fetches by id, leaving out unknown ids', async () => {
    // Prepare
    await seed();

    // Act
    const fetched = await pinecone.index.namespace('docs').fetch({ ids: ['b.md#1', 'nope'] });

    // Assess
    expect(plain(fetched)).toStrictEqual({
      records: { 'b.md#1': { id: 'b.md#1', values: [0, 1, 0, 0], metadata: { source: 'b.md' } } },
      namespace: 'docs',
      usage: { readUnits: 1 },
    });
  });

  it('lists ids by prefix in byte order, a page at a time', async () => {
    // Prepare
    await seed();
    const docs = pinecone.index.namespace('docs');

    // Act
    const first = await docs.listPaginated({ prefix: 'a.md#', limit: 1 });
    const second = await docs.listPaginated({ prefix: 'a.md#', limit: 1, paginationToken: first.pagination?.next as string });
    const all = await docs.listPaginated();

    // Assess
    expect(first.vectors).toStrictEqual([{ id: 'a.md#1' }]);
    expect(typeof first.pagination?.next).toBe('string');
    expect(second.vectors).toStrictEqual([{ id: 'a.md#2' }]);
    expect(second.pagination).toBeUndefined();
    expect(all.vectors).toStrictEqual([{ id: 'a.md#1' }, { id: 'a.md#2' }, { id: 'b.md#1' }]);
    expect(await rejection(docs.listPaginated({ prefix: 'a.md#', paginationToken: 'bm9wZQ==' }))).toStrictEqual({
      name: 'PineconeBadRequestError',
      message: 'Invalid pagination token',
    });
  });

  it('deletes by ids, by metadata filter, and everything in a namespace', async () => {
    // Prepare
    await seed();
    const docs = pinecone.index.namespace('docs');

    // Act and assess
    await docs.deleteMany({ ids: ['a.md#1', 'unknown'] });
    expect((await docs.listPaginated()).vectors).toStrictEqual([{ id: 'a.md#2' }, { id: 'b.md#1' }]);
    await docs.deleteMany({ filter: { source: { $eq: 'b.md' } } });
    expect((await docs.listPaginated()).vectors).toStrictEqual([{ id: 'a.md#2' }]);
    await docs.deleteAll();
    expect(await pinecone.index.describeIndexStats()).toStrictEqual({ namespaces: {}, dimension: 4, indexFullness: 0, totalRecordCount: 0 });
  });

  it('answers bad requests as Pinecone does, which the client raises as PineconeBadRequestError', async () => {
    // Prepare
    const docs = pinecone.index.namespace('docs');

    // Act and assess
    expect(await rejection(docs.upsert({ records: [{ id: 'x', values: [1, 2, 3] }] }))).toStrictEqual({
      name: 'PineconeBadRequestError',
      message: 'Vector dimension 3 does not match the dimension of the index 4',
    });
    expect(await rejection(docs.query({ vector: [1, 2], topK: 1 }))).toStrictEqual({
      name: 'PineconeBadRequestError',
      message: 'Query vector dimension 2 does not match the dimension of the index 4',
    });
    expect(await rejection(docs.upsert({ records: [{ id: 'café', values: [1, 0, 0, 0] }] }))).toStrictEqual({
      name: 'PineconeBadRequestError',
      message: "Vector ID must be ASCII, but got 'café'",
    });
    expect(await rejection(docs.upsert({ records: [{ id: 'z', values: [0, 0, 0, 0] }] }))).toStrictEqual({
      name: 'PineconeBadRequestError',
      message: 'Dense vectors must contain at least one non-zero value',
    });
    expect(await rejection(docs.upsert({ records: [{ id: 'big', values: [1, 0, 0, 0], metadata: { text: 'x'.repeat(41_000) } }] }))).toStrictEqual({
      name: 'PineconeBadRequestError',
      message: 'Metadata size is 41011 bytes, which exceeds the limit of 40960 bytes per vector',
    });
    expect(await rejection(docs.query({ vector: [1, 0, 0, 0], topK: 1, filter: { source: { $regex: 'a' } } }))).toStrictEqual({
      name: 'PineconeBadRequestError',
      message: 'Invalid filter: unknown operator $regex on field source',
    });
    const tooMany = Array.from({ length: 1001 }, (_, index) => ({ id: `r${index}`, values: [1, 0, 0, 0] }));
    expect(await rejection(docs.upsert({ records: tooMany }))).toStrictEqual({
      name: 'PineconeBadRequestError',
      message: 'Batch size 1001 exceeds the maximum of 1000 vectors per upsert request',
    });
    // Nothing of a refused upsert is written.
    expect(await pinecone.index.describeIndexStats()).toStrictEqual({ namespaces: {}, dimension: 4, indexFullness: 0, totalRecordCount: 0 });
  });

  it("answers with Pinecone's error body, refuses requests over 2 MB and requests without an Api-Key", async () => {
    // Act
    const wrongShape = await fetch(`${pinecone.host}/vectors/upsert`, { method: 'POST', headers: { 'Api-Key': 'k' }, body: '{"namespace":"x"}' });
    const oversize = await fetch(`${pinecone.host}/query`, { method: 'POST', headers: { 'Api-Key': 'k' }, body: 'x'.repeat(2 * 1024 * 1024 + 1) });
    const anonymous = await fetch(`${pinecone.host}/describe_index_stats`, { method: 'POST', body: '{}' });
    const unknown = await fetch(`${pinecone.host}/vectors/nothing`, { headers: { 'Api-Key': 'k' } });

    // Assess
    expect([wrongShape.status, await json(wrongShape)]).toStrictEqual([
      400,
      { code: 3, message: 'Failed to deserialize the JSON body into the target type: missing field `vectors`', details: [] },
    ]);
    expect([oversize.status, await json(oversize)]).toStrictEqual([
      400,
      { code: 3, message: 'Request size 2.0MB exceeds the maximum supported size of 2MB', details: [] },
    ]);
    expect([anonymous.status, await json(anonymous)]).toStrictEqual([401, { code: 16, message: 'Unauthorized: the Api-Key header is missing', details: [] }]);
    expect(unknown.status).toBe(404);
  });

  it('leaves the other paths of the server it is mounted on alone', async () => {
    // Act
    const response = await fetch(pinecone.host.replace('/pinecone', '/prod/@connections/abc'));

    // Assess
    expect([response.status, await response.text()]).toStrictEqual([404, 'not pinecone']);
  });
});

describe('local Pinecone persistence', () => {
  let dataDir: string;
  const servers: LocalPineconeServer[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pinecone-test-'));
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(dimension: number): Promise<LocalPineconeServer> {
    const server = await startLocalPinecone({ path: dataDir, indexName: 'kb', dimension });
    servers.push(server);
    return server;
  }

  it('persists the index as JSON in its folder and loads it again on the next start', async () => {
    // Prepare
    const first = await start(2);
    await new Pinecone({ apiKey: 'k' }).index({ host: first.host }).namespace('n').upsert({ records: [{ id: 'a', values: [1, 0], metadata: { s: 'x' } }] });

    // Act
    await first.stop();
    const saved = JSON.parse(readFileSync(join(dataDir, 'kb.json'), 'utf8')) as unknown;
    const second = await start(2);
    const fetched = await new Pinecone({ apiKey: 'k' }).index({ host: second.host }).namespace('n').fetch({ ids: ['a'] });

    // Assess
    expect(saved).toStrictEqual({
      version: 1,
      dimension: 2,
      metric: 'cosine',
      namespaces: { n: { a: { values: [1, 0], metadata: { s: 'x' } } } },
    });
    expect(plain(fetched.records)).toStrictEqual({ a: { id: 'a', values: [1, 0], metadata: { s: 'x' } } });
  });

  it('refuses to open a saved index of another dimension, naming the file to delete', async () => {
    // Prepare
    const first = await start(2);
    await new Pinecone({ apiKey: 'k' }).index({ host: first.host }).upsert({ records: [{ id: 'a', values: [1, 0] }] });
    await first.stop();

    // Act and assess
    expect(() => createLocalPineconeHandler({ path: dataDir, indexName: 'kb', dimension: 1024 })).toThrow(
      `The local Pinecone index kb in ${dataDir} has dimension 2 and metric cosine, not 1024 and cosine: delete kb.json there to start again`,
    );
  });
});

describe('local Pinecone callers', () => {
  it('answers only loopback callers unless allowRemote is set', async () => {
    // Prepare
    const handler = createLocalPineconeHandler({ dimension: 2 });
    const written: { status?: number; body?: string } = {};
    const request = Object.assign(Readable.from([]), {
      url: '/describe_index_stats', method: 'POST', headers: { 'api-key': 'k' }, socket: { remoteAddress: '192.168.1.20' },
    });
    const response = {
      headersSent: false,
      writeHead(status: number) {
        written.status = status;
        return this;
      },
      end(body: string) {
        written.body = body;
      },
    };

    // Act
    await handler.handle(request as unknown as IncomingMessage, response as unknown as ServerResponse);

    // Assess
    expect([written.status, JSON.parse(written.body ?? '') as unknown]).toStrictEqual([
      403,
      { code: 7, message: 'Forbidden: the local Pinecone endpoint only answers loopback callers', details: [] },
    ]);
  });

  it.each([
    ['a rebound DNS name', 'evil.example:8080', 403],
    ['a name that starts like localhost', 'localhost.evil.example', 403],
    ['no Host at all', undefined, 403],
    ['localhost', 'localhost:8080', 200],
    ['127.0.0.1', '127.0.0.1:8080', 200],
    ['[::1]', '[::1]:8080', 200],
  ])('answers a loopback caller naming %s as Host with %s', async (_label, host, status) => {
    // Prepare
    const handler = createLocalPineconeHandler({ dimension: 2 });
    const written: { status?: number } = {};
    const request = Object.assign(Readable.from([]), {
      url: '/describe_index_stats', method: 'POST', headers: { 'api-key': 'k', ...(host ? { host } : {}) }, socket: { remoteAddress: '127.0.0.1' },
    });
    const response = {
      headersSent: false,
      writeHead(code: number) {
        written.status = code;
        return this;
      },
      end() {},
    };

    // Act
    await handler.handle(request as unknown as IncomingMessage, response as unknown as ServerResponse);

    // Assess
    expect(written.status).toBe(status);
  });
});
