import { AllTargetsFailedError } from '../../../lambdas/bot/inference/all-targets-failed-error';
import { BedrockTarget } from '../../../lambdas/bot/inference/bedrock-target';
import type { ChainEvent, TargetFailure } from '../../../lambdas/bot/inference/chain-types';
import { InferenceError } from '../../../lambdas/bot/inference/errors';
import { streamWithFallback } from '../../../lambdas/bot/inference/fallback-chain';
import { LlamaTarget } from '../../../lambdas/bot/inference/llama-target';
import { OfflineTarget } from '../../../lambdas/bot/inference/offline-target';
import type { InferenceTarget, StreamPart } from '../../../lambdas/bot/inference/types';
import { converseTextFrames, FakeBedrock } from '../../support/fake-bedrock';
import { answerEvents, FakeOpenAiServer } from '../../support/fake-openai-server';
import { fakeBedrockClient } from './support/bedrock-client';
import { closedPort } from '../../support/closed-port';
import { collect } from './support/collect';
import { describeError } from './support/describe-error';
import { inferenceRequest } from './support/request';

const MODEL = 'us.amazon.nova-lite-v1:0';
/**
 * Fast and deterministic: 10 ms then 20 ms backoff, no jitter. The first-token timeout is far beyond any answer of the
 * fakes, even on a loaded machine; the tests about that timeout set a short one of their own.
 */
const FAST = { firstTokenTimeoutMs: 30_000, backoffBaseMs: 10, random: () => 0.99999 };

let bedrockFake: FakeBedrock;
let llamaServer: FakeOpenAiServer;
let bedrock: BedrockTarget;
let llama: LlamaTarget;
let llamaDown: LlamaTarget;
let downPort: number;
const offline = new OfflineTarget({ delayMs: 0 });

beforeAll(async () => {
  [bedrockFake, llamaServer, downPort] = await Promise.all([FakeBedrock.start(), FakeOpenAiServer.start(), closedPort()]);
  bedrock = new BedrockTarget({ client: fakeBedrockClient(bedrockFake.url), modelId: MODEL });
  llama = new LlamaTarget({ baseUrl: llamaServer.url, model: 'llama3.2' });
  llamaDown = new LlamaTarget({ baseUrl: `http://127.0.0.1:${downPort}`, model: 'llama3.2' });
});
afterEach(() => {
  bedrockFake.reset();
  llamaServer.reset();
});
afterAll(async () => {
  await Promise.all([bedrockFake.close(), llamaServer.close()]);
});

function summary(failure: TargetFailure): { target: string; model: string; code: string; message: string; attempts: number } {
  return { target: failure.target, model: failure.model, code: failure.error.code, message: failure.error.message, attempts: failure.attempts };
}

/** A hand-written target for cases no real server produces (a bug, a target deaf to its signal). */
function scriptedTarget(stream: (request: Parameters<InferenceTarget['stream']>[0]) => AsyncIterable<StreamPart>): InferenceTarget {
  return { name: 'llama', model: 'scripted', stream };
}

describe('streamWithFallback', () => {
  it('falls over from a llama that refuses connections to bedrock, and start names bedrock', async () => {
    // Prepare
    bedrockFake.scriptConverseStream({ kind: 'stream', frames: converseTextFrames(['Hello ', 'room.'], { inputTokens: 12, outputTokens: 3 }) });
    const failures: TargetFailure[] = [];

    // Act
    const { items, error } = await collect(
      streamWithFallback([llamaDown, bedrock, offline], inferenceRequest(), { ...FAST, onFailure: (failure) => failures.push(failure) }),
    );

    // Assess
    expect(error).toBeUndefined();
    expect(items).toStrictEqual<ChainEvent[]>([
      { type: 'start', target: 'bedrock', model: MODEL },
      { type: 'text-delta', text: 'Hello ' },
      { type: 'text-delta', text: 'room.' },
      { type: 'finish', stopReason: 'end_turn', usage: { inputTokens: 12, outputTokens: 3 } },
    ]);
    expect(failures.map(summary)).toStrictEqual([
      {
        target: 'llama',
        model: 'llama3.2',
        code: 'unavailable',
        message: `llama server unreachable (ECONNREFUSED): fetch failed: connect ECONNREFUSED 127.0.0.1:${downPort}`,
        attempts: 1,
      },
    ]);
  });

  it('retries a throttled target with backoff, then answers from it', async () => {
    // Prepare
    bedrockFake.scriptConverseStream(
      { kind: 'error', status: 429, errorType: 'ThrottlingException', message: 'Too many requests' },
      { kind: 'stream', frames: converseTextFrames(['Second try.']) },
    );

    // Act
    const { items } = await collect(streamWithFallback([bedrock, offline], inferenceRequest(), FAST));

    // Assess
    expect(items.slice(0, 2)).toStrictEqual([
      { type: 'start', target: 'bedrock', model: MODEL },
      { type: 'text-delta', text: 'Second try.' },
    ]);
    expect(bedrockFake.requests).toHaveLength(2);
  });

  it('falls over once a throttled target has used its retries', async () => {
    // Prepare
    const throttled = { kind: 'error', status: 429, errorType: 'ThrottlingException', message: 'Too many requests' } as const;
    bedrockFake.scriptConverseStream(throttled, throttled, throttled);
    llamaServer.script({ kind: 'sse', writes: answerEvents(['From llama.'], { prompt: 5, completion: 3 }) });
    const failures: TargetFailure[] = [];

    // Act
    const { items } = await collect(
      streamWithFallback([bedrock, llama], inferenceRequest(), { ...FAST, onFailure: (failure) => failures.push(failure) }),
    );

    // Assess: three attempts (two retries; their backoff delays are test/bot/inference/backoff-delay.test.ts's), then llama.
    expect(items).toStrictEqual<ChainEvent[]>([
      { type: 'start', target: 'llama', model: 'llama3.2' },
      { type: 'text-delta', text: 'From llama.' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 5, outputTokens: 3 } },
    ]);
    expect(bedrockFake.requests).toHaveLength(3);
    expect(failures.map((failure) => [failure.target, failure.error.code, failure.attempts])).toStrictEqual([
      ['bedrock', 'throttled', 1],
      ['bedrock', 'throttled', 2],
      ['bedrock', 'throttled', 3],
    ]);
  });

  it.each([
    ['llama', 'unavailable'],
    ['bedrock', 'unavailable'],
  ])('retries %s once at once when its connection drops before answering (a stale keep-alive socket)', async (name) => {
    // Prepare
    llamaServer.script({ kind: 'reset' }, { kind: 'sse', writes: answerEvents(['Again.'], { prompt: 1, completion: 1 }) });
    bedrockFake.scriptConverseStream({ kind: 'reset' }, { kind: 'stream', frames: converseTextFrames(['Again.']) });
    const failures: TargetFailure[] = [];

    // Act
    const { items } = await collect(
      streamWithFallback([name === 'llama' ? llama : bedrock, offline], inferenceRequest(), {
        ...FAST,
        onFailure: (failure) => failures.push(failure),
      }),
    );

    // Assess
    expect(items.slice(0, 2)).toStrictEqual([
      { type: 'start', target: name, model: name === 'llama' ? 'llama3.2' : MODEL },
      { type: 'text-delta', text: 'Again.' },
    ]);
    expect(failures.map((failure) => [failure.target, failure.error.code, failure.attempts])).toStrictEqual([[name, 'unavailable', 1]]);
  });

  it('falls over when the connection drops a second time', async () => {
    llamaServer.script({ kind: 'reset' }, { kind: 'reset' });

    const { items } = await collect(streamWithFallback([llama, offline], inferenceRequest(), FAST));

    expect(items[0]).toStrictEqual({ type: 'start', target: 'offline', model: 'offline-extractive' });
    expect(llamaServer.requests).toHaveLength(2);
  });

  it('does not retry a rejected request and falls over at once', async () => {
    bedrockFake.scriptConverseStream({ kind: 'error', status: 403, errorType: 'AccessDeniedException', message: 'No access' });

    const { items } = await collect(streamWithFallback([bedrock, offline], inferenceRequest(), FAST));

    expect(items[0]).toStrictEqual({ type: 'start', target: 'offline', model: 'offline-extractive' });
    expect(bedrockFake.requests).toHaveLength(1);
  });

  it('abandons a target that gives no first token within the timeout and aborts its request', async () => {
    // Prepare: llama accepts and never answers; bedrock starts a stream and stalls before any text.
    llamaServer.script({ kind: 'hang' });
    bedrockFake.scriptConverseStream({ kind: 'stream', frames: converseTextFrames(['never']).slice(0, 1), holdOpen: true });
    const failures: TargetFailure[] = [];

    // Act
    const { items, error } = await collect(
      streamWithFallback([llama, bedrock, offline], inferenceRequest(), {
        ...FAST,
        firstTokenTimeoutMs: 200,
        onFailure: (failure) => failures.push(failure),
      }),
    );

    // Assess
    expect(error).toBeUndefined();
    expect(items[0]).toStrictEqual({ type: 'start', target: 'offline', model: 'offline-extractive' });
    expect(failures.map(summary)).toStrictEqual([
      { target: 'llama', model: 'llama3.2', code: 'timeout', message: 'llama gave no first token within 200 ms', attempts: 1 },
      { target: 'bedrock', model: MODEL, code: 'timeout', message: 'bedrock gave no first token within 200 ms', attempts: 1 },
    ]);
    // Both held requests are aborted (their connections close); without the abort this waits until the test times out.
    await Promise.all([llamaServer.whenClosed(0), bedrockFake.whenClosed(0)]);
  });

  it('moves on from a target that ignores its abort signal', async () => {
    const deaf = scriptedTarget(async function* () {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      yield { type: 'text-delta', text: 'too late' };
    });

    const { items } = await collect(streamWithFallback([deaf, offline], inferenceRequest(), { firstTokenTimeoutMs: 50 }));

    expect(items[0]).toStrictEqual({ type: 'start', target: 'offline', model: 'offline-extractive' });
  });

  it('throws AllTargetsFailedError with each cause when every target fails before a first token', async () => {
    // Prepare
    bedrockFake.scriptConverseStream({ kind: 'error', status: 503, errorType: 'ServiceUnavailableException', message: 'Try later' });

    // Act
    const { items, error } = await collect(streamWithFallback([llamaDown, bedrock], inferenceRequest(), FAST));

    // Assess
    expect(items).toStrictEqual([]);
    expect(error).toBeInstanceOf(AllTargetsFailedError);
    const failed = error as AllTargetsFailedError;
    expect(failed.code).toBe('all_targets_failed');
    expect(failed.failures.map(summary)).toStrictEqual([
      {
        target: 'llama',
        model: 'llama3.2',
        code: 'unavailable',
        message: `llama server unreachable (ECONNREFUSED): fetch failed: connect ECONNREFUSED 127.0.0.1:${downPort}`,
        attempts: 1,
      },
      { target: 'bedrock', model: MODEL, code: 'unavailable', message: 'Bedrock ServiceUnavailableException: Try later', attempts: 1 },
    ]);
    expect(failed.message).toBe(
      `llama unavailable: llama server unreachable (ECONNREFUSED): fetch failed: connect ECONNREFUSED 127.0.0.1:${downPort}; ` +
        'bedrock unavailable: Bedrock ServiceUnavailableException: Try later',
    );
  });

  it('propagates a failure of the committed target after its partial text, without trying the next', async () => {
    // Prepare
    bedrockFake.scriptConverseStream({
      kind: 'stream',
      frames: [
        ...converseTextFrames(['Half ', 'an answer']).slice(0, 3),
        { exception: 'modelStreamErrorException', body: { message: 'Model crashed', originalStatusCode: 500 } },
      ],
    });

    // Act
    const { items, error } = await collect(streamWithFallback([bedrock, llama], inferenceRequest(), FAST));

    // Assess
    expect(items).toStrictEqual<ChainEvent[]>([
      { type: 'start', target: 'bedrock', model: MODEL },
      { type: 'text-delta', text: 'Half ' },
      { type: 'text-delta', text: 'an answer' },
    ]);
    expect(describeError(error)).toStrictEqual({
      name: 'InferenceError',
      code: 'model_error',
      message: 'Bedrock ModelStreamErrorException: Model crashed',
    });
    expect(llamaServer.requests).toStrictEqual([]);
  });

  it('stops with the caller’s abort reason, trying no other target', async () => {
    // Prepare
    llamaServer.script({ kind: 'hang' });
    const controller = new AbortController();
    const reason = new Error('The room went quiet');
    setTimeout(() => controller.abort(reason), 30);

    // Act
    const { items, error } = await collect(
      streamWithFallback([llama, bedrock], inferenceRequest({ signal: controller.signal }), { firstTokenTimeoutMs: 5000 }),
    );

    // Assess
    expect(items).toStrictEqual([]);
    expect(error).toBe(reason);
    expect(bedrockFake.requests).toStrictEqual([]);
  });

  it('stops the committed target when the caller stops reading', async () => {
    // Prepare
    let stoppedWith: unknown;
    const endless = scriptedTarget(async function* (request) {
      request.signal.addEventListener('abort', () => (stoppedWith = request.signal.reason));
      for (;;) {
        yield { type: 'text-delta', text: 'more ' };
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    });

    // Act
    const seen: ChainEvent[] = [];
    for await (const event of streamWithFallback([endless], inferenceRequest(), FAST)) {
      seen.push(event);
      if (seen.length === 3) break;
    }

    // Assess
    expect(seen).toStrictEqual<ChainEvent[]>([
      { type: 'start', target: 'llama', model: 'scripted' },
      { type: 'text-delta', text: 'more ' },
      { type: 'text-delta', text: 'more ' },
    ]);
    expect(describeError(stoppedWith)).toStrictEqual({ name: 'Error', message: 'The answer stream was stopped' });
  });

  it('treats a target that ends without any part as failed', async () => {
    const silent = scriptedTarget(async function* () {});

    const { items } = await collect(streamWithFallback([silent, offline], inferenceRequest(), FAST));

    expect(items[0]).toStrictEqual({ type: 'start', target: 'offline', model: 'offline-extractive' });
  });

  it('lets an error that is not an InferenceError (a bug) through instead of falling over', async () => {
    const buggy = scriptedTarget(async function* () {
      throw new TypeError("Cannot read properties of undefined (reading 'text')");
    });

    const { items, error } = await collect(streamWithFallback([buggy, offline], inferenceRequest(), FAST));

    expect(items).toStrictEqual([]);
    expect(describeError(error)).toStrictEqual({ name: 'TypeError', message: "Cannot read properties of undefined (reading 'text')" });
  });

  it('rejects invalid options with a TypeError', async () => {
    const { error } = await collect(streamWithFallback([offline], inferenceRequest(), { firstTokenTimeoutMs: -1 }));

    expect(error).toStrictEqual(new TypeError('firstTokenTimeoutMs must be a non-negative integer, got -1'));
  });

  it('with no targets, throws AllTargetsFailedError saying none is configured', async () => {
    const { error } = await collect(streamWithFallback([], inferenceRequest()));

    expect(error).toBeInstanceOf(AllTargetsFailedError);
    expect((error as AllTargetsFailedError).message).toBe('No inference target is configured');
  });

  it('keeps the abort reason a timeout InferenceError when the chain times a target out', async () => {
    // The reason the abandoned target sees is the chain's timeout error.
    let seen: unknown;
    const slow = scriptedTarget(async function* (request) {
      await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
      seen = request.signal.reason;
      yield* [];
    });

    await collect(streamWithFallback([slow, offline], inferenceRequest(), { firstTokenTimeoutMs: 20 }));

    expect(seen).toBeInstanceOf(InferenceError);
    expect(describeError(seen)).toStrictEqual({ name: 'InferenceError', code: 'timeout', message: 'llama gave no first token within 20 ms' });
  });
});
