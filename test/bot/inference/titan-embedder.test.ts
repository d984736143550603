import { TITAN_DEFAULTS } from '../../../lambdas/shared/embeddings/titan-defaults';
import { TitanEmbedder } from '../../../lambdas/shared/embeddings/titan-embedder';
import { FakeBedrock, fakeTitanEmbedding } from '../../support/fake-bedrock';
import { fakeBedrockClient } from './support/bedrock-client';

let fake: FakeBedrock;
let embedder: TitanEmbedder;

beforeAll(async () => {
  fake = await FakeBedrock.start();
  embedder = new TitanEmbedder({ client: fakeBedrockClient(fake.url, TITAN_DEFAULTS.maxAttempts) });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

describe('TitanEmbedder', () => {
  it('embeds each text with one InvokeModel call and returns 1024-dimension vectors in input order', async () => {
    // Prepare
    const texts = ['How do shards work?', 'Deploying the stack', 'Kinesis enhanced fan-out'];

    // Act
    const vectors = await embedder.embed(texts);

    // Assess
    expect(embedder.name).toBe('amazon.titan-embed-text-v2:0/1024');
    expect(embedder.dimensions).toBe(1024);
    expect(vectors).toStrictEqual(texts.map((text) => fakeTitanEmbedding(text, 1024)));
    expect(vectors.map((vector) => vector.length)).toStrictEqual([1024, 1024, 1024]);
    const sent = [...fake.requests].sort((a, b) => JSON.stringify(a.body).localeCompare(JSON.stringify(b.body)));
    expect(sent.map(({ operation, modelId, body }) => ({ operation, modelId, body }))).toStrictEqual([
      { operation: 'invoke', modelId: 'amazon.titan-embed-text-v2:0', body: { inputText: 'Deploying the stack', dimensions: 1024, normalize: true } },
      { operation: 'invoke', modelId: 'amazon.titan-embed-text-v2:0', body: { inputText: 'How do shards work?', dimensions: 1024, normalize: true } },
      { operation: 'invoke', modelId: 'amazon.titan-embed-text-v2:0', body: { inputText: 'Kinesis enhanced fan-out', dimensions: 1024, normalize: true } },
    ]);
    expect(fake.requests[0]?.headers['content-type']).toBe('application/json');
    expect(fake.requests[0]?.headers.accept).toBe('application/json');
  });

  it("retries a throttled call with the SDK's retry strategy", async () => {
    // Prepare
    const throttled = { kind: 'error', status: 429, errorType: 'ThrottlingException', message: 'Too many requests' } as const;
    fake.scriptInvoke(throttled, throttled);

    // Act
    const vectors = await embedder.embed(['retry me']);

    // Assess
    expect(vectors).toStrictEqual([fakeTitanEmbedding('retry me', 1024)]);
    expect(fake.requests).toHaveLength(3);
  });

  it('retries an unavailable model and a server error', async () => {
    fake.scriptInvoke(
      { kind: 'error', status: 429, errorType: 'ModelNotReadyException', message: 'Model is loading' },
      { kind: 'error', status: 503, errorType: 'ServiceUnavailableException', message: 'Try later' },
    );

    const vectors = await embedder.embed(['again']);

    expect(vectors).toStrictEqual([fakeTitanEmbedding('again', 1024)]);
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after the last attempt and throws the last throttling error', async () => {
    const throttled = { kind: 'error', status: 429, errorType: 'ThrottlingException', message: 'Too many requests' } as const;
    fake.scriptInvoke(throttled, throttled);
    const impatient = new TitanEmbedder({ client: fakeBedrockClient(fake.url, 2) });

    await expect(impatient.embed(['x'])).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Too many requests' });
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry a validation error, and sends no more texts after a failure', async () => {
    fake.scriptInvoke({ kind: 'error', status: 400, errorType: 'ValidationException', message: 'Bad input' });
    const serial = new TitanEmbedder({ client: fakeBedrockClient(fake.url), concurrency: 1 });

    await expect(serial.embed(['first', 'second', 'third'])).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Bad input',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    // Prepare: the client counts the calls it has open; the fake holds every call until the gate opens.
    const client = fakeBedrockClient(fake.url);
    let inFlight = 0;
    let maxInFlight = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        maxInFlight = Math.max(maxInFlight, (inFlight += 1));
        try {
          return await next(args);
        } finally {
          inFlight -= 1;
        }
      },
      { step: 'initialize' },
    );
    const paced = new TitanEmbedder({ client, concurrency: 2 });
    const texts = ['a', 'b', 'c', 'd', 'e'];
    let openGate = (): void => undefined;
    const open = new Promise<void>((resolve) => (openGate = resolve));
    fake.scriptInvoke(...texts.map(() => ({ kind: 'gate', open }) as const));

    // Act: the first calls reach the fake and are held (any call beyond the limit would have started by then).
    const pending = paced.embed(texts);
    await fake.whenRequests(2);
    const heldAtOnce = inFlight;
    openGate();
    const vectors = await pending;

    // Assess
    expect([heldAtOnce, maxInFlight]).toStrictEqual([2, 2]);
    expect(fake.requests).toHaveLength(5);
    expect(vectors).toStrictEqual(texts.map((text) => fakeTitanEmbedding(text, 1024)));
  });

  it('cuts texts longer than 50,000 characters, which Titan would reject', async () => {
    const long = 'word '.repeat(12_000);

    const [vector] = await embedder.embed([long]);

    expect((fake.requests[0]?.body as { inputText: string }).inputText).toBe(long.slice(0, 50_000));
    expect(vector).toStrictEqual(fakeTitanEmbedding(long.slice(0, 50_000), 1024));
  });

  it('rejects an empty text before calling Bedrock', async () => {
    await expect(embedder.embed(['ok', '  '])).rejects.toStrictEqual(
      new TypeError('Text 1 is empty: Titan cannot embed an empty text'),
    );
    expect(fake.requests).toStrictEqual([]);
  });

  it('embeds with fewer dimensions when asked', async () => {
    const small = new TitanEmbedder({ client: fakeBedrockClient(fake.url), dimensions: 256 });

    const [vector] = await small.embed(['short']);

    expect(small.name).toBe('amazon.titan-embed-text-v2:0/256');
    expect(vector).toHaveLength(256);
    expect(fake.requests[0]?.body).toStrictEqual({ inputText: 'short', dimensions: 256, normalize: true });
  });
});
