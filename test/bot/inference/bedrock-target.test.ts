import { BedrockTarget } from '../../../lambdas/bot/inference/bedrock-target';
import { InferenceError } from '../../../lambdas/bot/inference/errors';
import { converseTextFrames, encodeFrame, FakeBedrock, type FakeBedrockResponse } from '../../support/fake-bedrock';
import { fakeBedrockClient } from './support/bedrock-client';
import { closedPort } from '../../support/closed-port';
import { collect } from './support/collect';
import { describeError } from './support/describe-error';
import { inferenceRequest } from './support/request';

let fake: FakeBedrock;
let target: BedrockTarget;

beforeAll(async () => {
  fake = await FakeBedrock.start();
  target = new BedrockTarget({ client: fakeBedrockClient(fake.url), modelId: 'us.amazon.nova-lite-v1:0' });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

describe('BedrockTarget', () => {
  it('streams the text deltas and finishes with the stop reason and usage from metadata', async () => {
    // Prepare: frames cut into 5-byte pieces, so every frame arrives split across chunks.
    fake.scriptConverseStream({
      kind: 'stream',
      frames: converseTextFrames(['Kinesis ', 'is a ', 'stream.'], { inputTokens: 42, outputTokens: 7 }),
      chunkBytes: 5,
    });

    // Act
    const { items, error } = await collect(target.stream(inferenceRequest()));

    // Assess
    expect(error).toBeUndefined();
    expect(items).toStrictEqual([
      { type: 'text-delta', text: 'Kinesis ' },
      { type: 'text-delta', text: 'is a ' },
      { type: 'text-delta', text: 'stream.' },
      { type: 'finish', stopReason: 'end_turn', usage: { inputTokens: 42, outputTokens: 7 } },
    ]);
  });

  it('sends the system prompt, merged alternating turns starting with a user turn, and maxTokens', async () => {
    // Prepare
    fake.scriptConverseStream({ kind: 'stream', frames: converseTextFrames(['ok']) });
    const request = inferenceRequest({
      system: 'Be brief.',
      maxOutputTokens: 300,
      messages: [
        { role: 'assistant', content: 'An answer whose question scrolled out of the window.' },
        { role: 'user', content: 'Ada: hi' },
        { role: 'user', content: 'Linus: hello' },
        { role: 'assistant', content: 'Hello both.' },
        { role: 'user', content: '   ' },
        { role: 'user', content: 'Ada: what is a shard?' },
      ],
    });

    // Act
    await collect(target.stream(request));

    // Assess
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent?.operation).toBe('converse-stream');
    expect(sent?.modelId).toBe('us.amazon.nova-lite-v1:0');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFAKE\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(sent?.body).toStrictEqual({
      system: [{ text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ text: 'Ada: hi\n\nLinus: hello' }] },
        { role: 'assistant', content: [{ text: 'Hello both.' }] },
        { role: 'user', content: [{ text: 'Ada: what is a shard?' }] },
      ],
      inferenceConfig: { maxTokens: 300 },
    });
  });

  it('leaves out a blank system prompt, which Bedrock would reject', async () => {
    fake.scriptConverseStream({ kind: 'stream', frames: converseTextFrames(['ok']) });

    const { error } = await collect(target.stream(inferenceRequest({ system: ' ' })));

    expect(error).toBeUndefined();
    expect(fake.requests[0]?.body).toStrictEqual({
      messages: [{ role: 'user', content: [{ text: 'Ada: What is Kinesis?' }] }],
      inferenceConfig: { maxTokens: 256 },
    });
  });

  it('fails with a modelStreamErrorException after the partial text', async () => {
    // Prepare
    fake.scriptConverseStream({
      kind: 'stream',
      frames: [
        ...converseTextFrames(['Part ', 'one']).slice(0, 3),
        { exception: 'modelStreamErrorException', body: { message: 'Model crashed', originalStatusCode: 500 } },
      ],
    });

    // Act
    const { items, error } = await collect(target.stream(inferenceRequest()));

    // Assess
    expect(items).toStrictEqual([
      { type: 'text-delta', text: 'Part ' },
      { type: 'text-delta', text: 'one' },
    ]);
    expect(describeError(error)).toStrictEqual({
      name: 'InferenceError',
      code: 'model_error',
      message: 'Bedrock ModelStreamErrorException: Model crashed',
    });
  });

  const beforeStream: { case: string; response: FakeBedrockResponse; code: string; message: string }[] = [
    {
      case: 'ThrottlingException (429)',
      response: { kind: 'error', status: 429, errorType: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
      code: 'throttled',
      message: 'Bedrock ThrottlingException: Too many requests, please wait before trying again.',
    },
    {
      case: 'ServiceUnavailableException (503)',
      response: { kind: 'error', status: 503, errorType: 'ServiceUnavailableException', message: 'Service unavailable' },
      code: 'unavailable',
      message: 'Bedrock ServiceUnavailableException: Service unavailable',
    },
    {
      case: 'InternalServerException (500)',
      response: { kind: 'error', status: 500, errorType: 'InternalServerException', message: 'Internal failure' },
      code: 'unavailable',
      message: 'Bedrock InternalServerException: Internal failure',
    },
    {
      case: 'an unmodeled 502',
      response: { kind: 'error', status: 502, errorType: 'BadGateway', message: 'Bad gateway' },
      code: 'unavailable',
      message: 'Bedrock BadGateway: Bad gateway',
    },
    {
      case: 'ModelTimeoutException (408)',
      response: { kind: 'error', status: 408, errorType: 'ModelTimeoutException', message: 'Model timed out' },
      code: 'timeout',
      message: 'Bedrock ModelTimeoutException: Model timed out',
    },
    {
      case: 'ValidationException (400)',
      response: { kind: 'error', status: 400, errorType: 'ValidationException', message: 'The provided model identifier is invalid.' },
      code: 'rejected',
      message: 'Bedrock ValidationException: The provided model identifier is invalid.',
    },
    {
      case: 'AccessDeniedException (403)',
      response: { kind: 'error', status: 403, errorType: 'AccessDeniedException', message: "You don't have access to the model" },
      code: 'rejected',
      message: "Bedrock AccessDeniedException: You don't have access to the model",
    },
    {
      case: 'ResourceNotFoundException (404)',
      response: { kind: 'error', status: 404, errorType: 'ResourceNotFoundException', message: 'Model not found' },
      code: 'rejected',
      message: 'Bedrock ResourceNotFoundException: Model not found',
    },
    {
      case: 'a validationException event (the output failed validation)',
      response: { kind: 'stream', frames: [{ exception: 'validationException', body: { message: 'Output blocked' } }] },
      code: 'model_error',
      message: 'Bedrock ValidationException: Output blocked',
    },
    {
      case: 'a throttlingException event before any text',
      response: {
        kind: 'stream',
        frames: [
          { event: 'messageStart', body: { role: 'assistant' } },
          { exception: 'throttlingException', body: { message: 'Slow down' } },
        ],
      },
      code: 'throttled',
      message: 'Bedrock ThrottlingException: Slow down',
    },
  ];

  it.each(beforeStream)('maps $case to an InferenceError with code $code', async ({ response, code, message }) => {
    fake.scriptConverseStream(response);

    const { items, error } = await collect(target.stream(inferenceRequest()));

    expect(items).toStrictEqual([]);
    expect(describeError(error)).toStrictEqual({ name: 'InferenceError', code, message });
  });

  it('reports a corrupt frame mid-stream as a model error', async () => {
    // Prepare: a valid delta, then a frame whose CRC is wrong.
    const corrupt = encodeFrame({ event: 'contentBlockDelta' }, { contentBlockIndex: 0, delta: { text: 'x' } });
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0xff;
    fake.scriptConverseStream({
      kind: 'stream',
      frames: [...converseTextFrames(['Hello']).slice(0, 2), { raw: corrupt }],
    });

    // Act
    const { items, error } = await collect(target.stream(inferenceRequest()));

    // Assess
    expect(items).toStrictEqual([{ type: 'text-delta', text: 'Hello' }]);
    expect(describeError(error)).toStrictEqual({
      name: 'InferenceError',
      code: 'model_error',
      message: 'Bedrock: The message checksum (2839867323) did not match the expected value of 2839867204',
    });
  });

  it('reports a stream that ends before messageStop as a model error', async () => {
    fake.scriptConverseStream({ kind: 'stream', frames: converseTextFrames(['Cut']).slice(0, 2) });

    const { items, error } = await collect(target.stream(inferenceRequest()));

    expect(items).toStrictEqual([{ type: 'text-delta', text: 'Cut' }]);
    expect(describeError(error)).toStrictEqual({
      name: 'InferenceError',
      code: 'model_error',
      message: 'Bedrock stream ended before messageStop',
    });
  });

  it('reports a refused connection as unavailable', async () => {
    const port = await closedPort();
    const down = new BedrockTarget({ client: fakeBedrockClient(`http://127.0.0.1:${port}`) });

    const { error } = await collect(down.stream(inferenceRequest()));

    expect(describeError(error)).toStrictEqual({
      name: 'InferenceError',
      code: 'unavailable',
      message: `Bedrock: AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('reports a connection dropped before the response as unavailable', async () => {
    fake.scriptConverseStream({ kind: 'reset' });

    const { error } = await collect(target.stream(inferenceRequest()));

    // The SDK names a reset TimeoutError; under jest it also wraps it (another realm), keeping only its message.
    expect(describeError(error)).toStrictEqual({
      name: 'InferenceError',
      code: 'unavailable',
      message: 'Bedrock: AWS SDK error wrapper for TimeoutError: socket hang up',
    });
  });

  it('stops a stalled stream when its signal is aborted and throws the abort reason', async () => {
    // Prepare: the stream starts, then nothing comes.
    fake.scriptConverseStream({ kind: 'stream', frames: converseTextFrames(['Hi']).slice(0, 2), holdOpen: true });
    const controller = new AbortController();
    const reason = new InferenceError('timeout', 'no first token within 50 ms');
    const parts: unknown[] = [];

    // Act
    const stream = target.stream(inferenceRequest({ signal: controller.signal }));
    const run = (async () => {
      for await (const part of stream) {
        parts.push(part);
        controller.abort(reason);
      }
    })();

    // Assess
    await expect(run).rejects.toBe(reason);
    expect(parts).toStrictEqual([{ type: 'text-delta', text: 'Hi' }]);
  });

  describe('without a client given', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
    });

    it('creates one from AWS_ENDPOINT_URL_BEDROCK_RUNTIME, with the default model', async () => {
      // Prepare
      process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
      process.env.AWS_ACCESS_KEY_ID = 'AKIDFAKE';
      process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
      fake.scriptConverseStream({ kind: 'stream', frames: converseTextFrames(['From env']) });

      // Act
      const fromEnv = new BedrockTarget({ region: 'eu-west-3' });
      const { items } = await collect(fromEnv.stream(inferenceRequest()));

      // Assess
      expect(fromEnv.model).toBe('us.amazon.nova-lite-v1:0');
      expect(items[0]).toStrictEqual({ type: 'text-delta', text: 'From env' });
      expect(fake.requests[0]?.modelId).toBe('us.amazon.nova-lite-v1:0');
      expect(fake.requests[0]?.headers.authorization).toContain('/eu-west-3/bedrock/aws4_request');
    });
  });
});
