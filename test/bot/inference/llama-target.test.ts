import { InferenceError } from '../../../lambdas/bot/inference/errors';
import { LlamaTarget } from '../../../lambdas/bot/inference/llama-target';
import {
  answerEvents,
  completionChunk,
  type FakeOpenAiResponse,
  FakeOpenAiServer,
  sseData,
  usageChunk,
} from '../../support/fake-openai-server';
import { closedPort } from '../../support/closed-port';
import { collect } from './support/collect';
import { describeError } from './support/describe-error';
import { type HttpProxy, startHttpProxy } from './support/http-proxy';
import { inferenceRequest } from './support/request';

let server: FakeOpenAiServer;
let proxy: HttpProxy;

beforeAll(async () => {
  [server, proxy] = await Promise.all([FakeOpenAiServer.start(), startHttpProxy()]);
});
afterEach(() => server.reset());
afterAll(async () => {
  await Promise.all([server.close(), proxy.close()]);
});

describe.each([
  { via: 'directly', proxied: false },
  { via: 'through an HTTP proxy', proxied: true },
])('LlamaTarget, $via', ({ proxied }) => {
  let target: LlamaTarget;
  let connectsBefore: number;

  beforeEach(async () => {
    // A new target per test: its own ProxyAgent, so its own tunnel.
    target = new LlamaTarget({
      baseUrl: server.url,
      model: 'llama3.2',
      apiKey: 'sk-local',
      ...(proxied ? { proxyUrl: proxy.url } : {}),
    });
    connectsBefore = (await proxy.seen()).connects.length;
  });
  afterEach(async () => {
    // Proxied, the request went through a CONNECT tunnel to the server; direct, the proxy saw nothing. (undici opens a
    // spare connection when a body is cancelled, as at [DONE], so a tunnel may be counted twice: compare as a set.)
    const { connects, requests } = await proxy.seen();
    expect(server.requests).toHaveLength(1);
    expect(requests).toStrictEqual([]);
    expect(new Set(connects.slice(connectsBefore))).toStrictEqual(new Set(proxied ? [new URL(server.url).host] : []));
  });

  it('streams the deltas and finishes with the finish reason and the usage chunk', async () => {
    // Prepare
    server.script({ kind: 'sse', writes: answerEvents(['Kinesis ', 'is a ', 'stream.'], { prompt: 31, completion: 6 }) });

    // Act
    const { items, error } = await collect(target.stream(inferenceRequest()));

    // Assess
    expect(error).toBeUndefined();
    expect(items).toStrictEqual([
      { type: 'text-delta', text: 'Kinesis ' },
      { type: 'text-delta', text: 'is a ' },
      { type: 'text-delta', text: 'stream.' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 31, outputTokens: 6 } },
    ]);
  });

  it('posts the OpenAI chat request: system first, merged turns, streaming with usage, max_tokens, the API key', async () => {
    // Prepare
    server.script({ kind: 'sse', writes: answerEvents(['ok'], { prompt: 1, completion: 1 }) });
    const request = inferenceRequest({
      system: 'Be brief.',
      maxOutputTokens: 300,
      messages: [
        { role: 'user', content: 'Ada: hi' },
        { role: 'user', content: 'Linus: hello' },
        { role: 'assistant', content: 'Hello both.' },
        { role: 'user', content: 'Ada: what is a shard?' },
      ],
    });

    // Act
    await collect(target.stream(request));

    // Assess
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-local');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers.accept).toBe('text/event-stream');
    expect(sent?.body).toStrictEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Ada: hi\n\nLinus: hello' },
        { role: 'assistant', content: 'Hello both.' },
        { role: 'user', content: 'Ada: what is a shard?' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 300,
    });
  });

  it('reassembles chunks cut mid-line, mid-character and between CR and LF', async () => {
    // Prepare: CRLF line ends; cuts inside "data", inside "é" (2 bytes), "€" (3 bytes), "🚀" (4 bytes), and in a CRLF.
    const body = Buffer.from(
      [
        ': ping\r\n\r\n',
        `data: ${JSON.stringify(completionChunk({ content: 'Café ' }))}\r\n\r\n`,
        `data: ${JSON.stringify(completionChunk({ content: '5 € ' }))}\r\n\r\n`,
        `data: ${JSON.stringify(completionChunk({ content: '🚀' }, 'stop'))}\r\n\r\n`,
        `data: ${JSON.stringify(usageChunk(9, 3))}\r\n\r\n`,
        'data: [DONE]\r\n\r\n',
      ].join(''),
    );
    const cuts = [
      body.indexOf('data') + 2,
      body.indexOf('é') + 1,
      body.indexOf('€') + 1,
      body.indexOf('€') + 2,
      body.indexOf('🚀') + 3,
      body.indexOf('\r\n', body.indexOf('🚀')) + 1,
      body.length - 3,
    ];
    const writes = [0, ...cuts].flatMap((start, i) => [body.subarray(start, cuts[i] ?? body.length), { pauseMs: 5 }]);
    server.script({ kind: 'sse', writes });

    // Act
    const { items, error } = await collect(target.stream(inferenceRequest()));

    // Assess
    expect(error).toBeUndefined();
    expect(items).toStrictEqual([
      { type: 'text-delta', text: 'Café ' },
      { type: 'text-delta', text: '5 € ' },
      { type: 'text-delta', text: '🚀' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 9, outputTokens: 3 } },
    ]);
  });

  it('finishes at [DONE] without waiting for the server to close the response', async () => {
    server.script({ kind: 'sse', writes: answerEvents(['Done.'], { prompt: 2, completion: 1 }), then: 'hold' });

    const { items } = await collect(target.stream(inferenceRequest()));

    expect(items).toStrictEqual([
      { type: 'text-delta', text: 'Done.' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 2, outputTokens: 1 } },
    ]);
  });

  it('accepts a stream that closes after a finish reason without [DONE] nor usage', async () => {
    server.script({ kind: 'sse', writes: [sseData(completionChunk({ content: 'Hi' })), sseData(completionChunk({}, 'length'))] });

    const { items, error } = await collect(target.stream(inferenceRequest()));

    expect(error).toBeUndefined();
    expect(items).toStrictEqual([
      { type: 'text-delta', text: 'Hi' },
      { type: 'finish', stopReason: 'length' },
    ]);
  });

  const statuses: { status: number; body: string; code: string; message: string }[] = [
    {
      status: 429,
      body: JSON.stringify({ error: { code: 429, message: 'Too many requests', type: 'rate_limit_error' } }),
      code: 'throttled',
      message: 'llama server answered 429: Too many requests',
    },
    {
      status: 500,
      body: JSON.stringify({ error: { code: 500, message: 'Failed to load model', type: 'server_error' } }),
      code: 'unavailable',
      message: 'llama server answered 500: Failed to load model',
    },
    {
      status: 503,
      body: JSON.stringify({ error: 'server busy, please try again.  maximum pending requests exceeded' }),
      code: 'unavailable',
      message: 'llama server answered 503: server busy, please try again.  maximum pending requests exceeded',
    },
    {
      status: 400,
      body: JSON.stringify({ error: { code: 400, message: 'the request exceeds the available context size', type: 'exceed_context_size_error' } }),
      code: 'rejected',
      message: 'llama server answered 400: the request exceeds the available context size',
    },
    {
      status: 401,
      body: 'Unauthorized',
      code: 'rejected',
      message: 'llama server answered 401: Unauthorized',
    },
  ];

  it.each(statuses)('maps status $status to $code with the message of the body', async ({ status, body, code, message }) => {
    server.script({ kind: 'status', status, body });

    const { items, error } = await collect(target.stream(inferenceRequest()));

    expect(items).toStrictEqual([]);
    expect(describeError(error)).toStrictEqual({ name: 'InferenceError', code, message });
  });

  const midStream: { case: string; response: FakeOpenAiResponse; code: string; message: string }[] = [
    {
      case: 'an error object',
      response: {
        kind: 'sse',
        writes: [sseData(completionChunk({ content: 'Part' })), sseData({ error: { code: 500, message: 'CUDA out of memory', type: 'server_error' } })],
      },
      code: 'model_error',
      message: 'llama server failed mid-stream: CUDA out of memory',
    },
    {
      case: 'an error event',
      response: { kind: 'sse', writes: [sseData(completionChunk({ content: 'Part' })), 'event: error\ndata: {"message":"boom"}\n\n'] },
      code: 'model_error',
      message: 'llama server failed mid-stream: boom',
    },
    {
      case: 'a payload that is not JSON',
      response: { kind: 'sse', writes: [sseData(completionChunk({ content: 'Part' })), 'data: {"choices": [\n\n'] },
      code: 'model_error',
      message: 'llama server sent a chunk that is not JSON: {"choices": [',
    },
    {
      case: 'a chunk of the wrong shape',
      response: { kind: 'sse', writes: [sseData(completionChunk({ content: 'Part' })), sseData({ choices: 'none' })] },
      code: 'model_error',
      message: 'llama server sent an unexpected chunk: {"choices":"none"}',
    },
    {
      case: 'a dropped connection',
      response: { kind: 'sse', writes: [sseData(completionChunk({ content: 'Part' })), { pauseMs: 5 }], then: 'destroy' },
      code: 'unavailable',
      message: 'llama server unreachable (UND_ERR_SOCKET): terminated: other side closed',
    },
    {
      case: 'a response that ends before [DONE]',
      response: { kind: 'sse', writes: [sseData(completionChunk({ content: 'Part' }))] },
      code: 'unavailable',
      message: 'llama server closed the stream before [DONE]',
    },
  ];

  it.each(midStream)('fails after the partial text on $case ($code)', async ({ response, code, message }) => {
    server.script(response);

    const { items, error } = await collect(target.stream(inferenceRequest()));

    expect(items).toStrictEqual([{ type: 'text-delta', text: 'Part' }]);
    expect(describeError(error)).toStrictEqual({ name: 'InferenceError', code, message });
  });

  it('throws the abort reason when its signal is aborted while the server hangs', async () => {
    // Prepare
    server.script({ kind: 'hang' });
    const controller = new AbortController();
    const reason = new InferenceError('timeout', 'llama gave no first token within 30 ms');
    // Aborted once the server holds the request (not after a fixed delay, which a loaded machine can outrun).
    void server.whenRequests(1).then(() => controller.abort(reason));

    // Act
    const { items, error } = await collect(target.stream(inferenceRequest({ signal: controller.signal })));

    // Assess
    expect(items).toStrictEqual([]);
    expect(error).toBe(reason);
  });
});

describe('LlamaTarget', () => {
  it('reports a refused connection as unavailable', async () => {
    const port = await closedPort();
    const down = new LlamaTarget({ baseUrl: `http://127.0.0.1:${port}`, model: 'llama3.2' });

    const { error } = await collect(down.stream(inferenceRequest()));

    expect(describeError(error)).toStrictEqual({
      name: 'InferenceError',
      code: 'unavailable',
      message: `llama server unreachable (ECONNREFUSED): fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('goes through an HTTP proxy when given one, and the proxy relays the request', async () => {
    // Prepare
    server.script({ kind: 'sse', writes: answerEvents(['Via ', 'proxy'], { prompt: 4, completion: 2 }) });
    const proxied = new LlamaTarget({ baseUrl: server.url, model: 'llama3.2', proxyUrl: proxy.url });
    const before = await proxy.seen();

    // Act
    const { items, error } = await collect(proxied.stream(inferenceRequest()));

    // Assess
    expect(error).toBeUndefined();
    expect(items).toStrictEqual([
      { type: 'text-delta', text: 'Via ' },
      { type: 'text-delta', text: 'proxy' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 4, outputTokens: 2 } },
    ]);
    const after = await proxy.seen();
    const host = new URL(server.url).host;
    expect(after.connects.slice(before.connects.length)[0]).toBe(host);
    expect(new Set(after.connects.slice(before.connects.length))).toStrictEqual(new Set([host]));
    expect(after.requests).toStrictEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a proxy that cannot be reached as unavailable', async () => {
    const port = await closedPort();
    const proxied = new LlamaTarget({ baseUrl: server.url, model: 'llama3.2', proxyUrl: `http://127.0.0.1:${port}` });

    const { error } = await collect(proxied.stream(inferenceRequest()));

    expect(describeError(error)).toStrictEqual({
      name: 'InferenceError',
      code: 'unavailable',
      message: `llama server unreachable (ECONNREFUSED): fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    expect(server.requests).toStrictEqual([]);
  });

  it('accepts a base URL that already ends in /v1', async () => {
    server.script({ kind: 'sse', writes: answerEvents(['ok'], { prompt: 1, completion: 1 }) });
    const withV1 = new LlamaTarget({ baseUrl: `${server.url}/v1/`, model: 'llama3.2' });

    await collect(withV1.stream(inferenceRequest()));

    expect(server.requests.map((request) => request.path)).toStrictEqual(['/v1/chat/completions']);
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => new LlamaTarget({ baseUrl: 'ftp://example.com', model: 'm' })).toThrow(
      new TypeError('llama baseUrl must be an http(s) URL, got "ftp://example.com"'),
    );
    expect(() => new LlamaTarget({ baseUrl: '100.101.102.6:8080', model: 'm' })).toThrow(
      new TypeError('llama baseUrl must be an http(s) URL, got "100.101.102.6:8080"'),
    );
  });
});
