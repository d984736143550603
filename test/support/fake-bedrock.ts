import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen } from '../../local/listen';
import { fnv1a32 } from '../../lambdas/shared/fnv1a';
import { RequestLog } from './request-log';

/**
 * A local Bedrock Runtime that speaks the real wire format, so the real BedrockRuntimeClient (pointed at `url` with
 * dummy credentials and a NodeHttpHandler) cannot tell the difference:
 * - ConverseStream: `POST /model/{modelId}/converse-stream`, answered with `application/vnd.amazon.eventstream` frames;
 * - InvokeModel: `POST /model/{modelId}/invoke`, answered with JSON (Titan Text Embeddings V2 by default).
 * Errors before a stream are an HTTP status with `x-amzn-errortype`, as Bedrock sends them. Each test scripts the
 * responses (a queue per operation) and reads `requests` to assert the exact bodies the client sent.
 * Requests are validated the way Bedrock does (user turn first, alternating roles, no blank text, Titan limits).
 */

export type ConverseEventType =
  | 'messageStart'
  | 'contentBlockStart'
  | 'contentBlockDelta'
  | 'contentBlockStop'
  | 'messageStop'
  | 'metadata';

export type FakeStreamFrame =
  /** An event frame (`:message-type` event). */
  | { event: ConverseEventType; body: Record<string, unknown> }
  /** An exception frame (`:message-type` exception), e.g. `modelStreamErrorException`. */
  | { exception: string; body: Record<string, unknown> }
  /** Bytes written as they are (a corrupt frame, say). */
  | { raw: Uint8Array }
  /** A pause before the next frame. */
  | { pauseMs: number };

export type FakeBedrockResponse =
  | {
      kind: 'stream';
      frames: FakeStreamFrame[];
      /** Write the encoded bytes in pieces of this size, so frames arrive split across chunks. @default - whole frames */
      chunkBytes?: number;
      /** Leave the response open after the last frame (a stalled stream). @default false */
      holdOpen?: boolean;
    }
  /** An error before any stream: status, `x-amzn-errortype` and a JSON `{message}` body. */
  | { kind: 'error'; status: number; errorType: string; message: string }
  /** A JSON body with status 200 (InvokeModel). */
  | { kind: 'json'; body: unknown }
  /** Read the request and never answer. */
  | { kind: 'hang' }
  /** Read the request and hold it until `open` resolves, then answer with `then` (or as with nothing scripted). */
  | { kind: 'gate'; open: Promise<void>; then?: FakeBedrockResponse }
  /** Read the request and drop the connection without answering (a stale keep-alive socket looks like this). */
  | { kind: 'reset' };

export type FakeBedrockOperation = 'converse-stream' | 'invoke';

export interface RecordedBedrockRequest {
  operation: FakeBedrockOperation;
  modelId: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const ERROR_TYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazon.bedrock/';
const TITAN_DIMENSIONS = [256, 512, 1024];
const TITAN_MAX_CHARS = 50_000;

function header(value: string): { type: 'string'; value: string } {
  return { type: 'string', value };
}

/** One encoded event-stream message for a frame. */
export function encodeFrame(frame: { event: string } | { exception: string }, body: unknown): Uint8Array {
  const headers: MessageHeaders =
    'event' in frame
      ? { ':message-type': header('event'), ':event-type': header(frame.event) }
      : { ':message-type': header('exception'), ':exception-type': header(frame.exception) };
  headers[':content-type'] = header('application/json');
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(body)) });
}

/**
 * The frames of a plain text answer as Bedrock sends them (each event carries a `p` padding field the client ignores):
 * messageStart, one contentBlockDelta per text, contentBlockStop, messageStop, metadata with usage.
 */
export function converseTextFrames(
  texts: readonly string[],
  options: { stopReason?: string; inputTokens?: number; outputTokens?: number } = {},
): FakeStreamFrame[] {
  const inputTokens = options.inputTokens ?? 10;
  const outputTokens = options.outputTokens ?? texts.length;
  return [
    { event: 'messageStart', body: { p: 'abcdefghijk', role: 'assistant' } },
    ...texts.map((text): FakeStreamFrame => ({
      event: 'contentBlockDelta',
      body: { contentBlockIndex: 0, delta: { text }, p: 'abcdef' },
    })),
    { event: 'contentBlockStop', body: { contentBlockIndex: 0, p: 'abcdefghijklmn' } },
    { event: 'messageStop', body: { p: 'abcd', stopReason: options.stopReason ?? 'end_turn' } },
    {
      event: 'metadata',
      body: {
        metrics: { latencyMs: 321 },
        p: 'abcdefghij',
        usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      },
    },
  ];
}

/** The deterministic vector the fake answers for `text`: seeded by the text, unit length when normalized. */
export function fakeTitanEmbedding(text: string, dimensions: number, normalize = true): number[] {
  let seed = fnv1a32(text);
  const vector: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    vector.push(seed / 0x80000000 - 1);
  }
  if (!normalize) return vector;
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vector.map((value) => value / norm);
}

function validationError(message: string): FakeBedrockResponse {
  return { kind: 'error', status: 400, errorType: 'ValidationException', message };
}

interface ConverseBody {
  messages?: { role?: string; content?: { text?: string }[] }[];
  system?: { text?: string }[];
}

function validateConverse(body: ConverseBody): FakeBedrockResponse | undefined {
  const messages = body.messages ?? [];
  if (messages.length === 0) return validationError('A conversation must start with a user message.');
  if (messages[0]?.role !== 'user') return validationError('A conversation must start with a user message.');
  for (let i = 1; i < messages.length; i++) {
    if (messages[i]?.role === messages[i - 1]?.role) {
      return validationError('A conversation must alternate between user and assistant roles.');
    }
  }
  const blocks = [...(body.system ?? []), ...messages.flatMap((message) => message.content ?? [])];
  if (blocks.some((block) => block.text !== undefined && block.text.trim() === '')) {
    return validationError('The text field in the ContentBlock object is blank. Add text to the text field, and try again.');
  }
  return undefined;
}

interface TitanBody {
  inputText?: unknown;
  dimensions?: unknown;
  normalize?: unknown;
}

function answerTitan(body: TitanBody): FakeBedrockResponse {
  if (typeof body.inputText !== 'string' || body.inputText === '') {
    return validationError('Malformed input request: expected minLength: 1, please reformat your input and try again.');
  }
  if (body.inputText.length > TITAN_MAX_CHARS) {
    return validationError(`Malformed input request: expected maxLength: ${TITAN_MAX_CHARS}, actual: ${body.inputText.length}`);
  }
  const dimensions = body.dimensions ?? 1024;
  if (typeof dimensions !== 'number' || !TITAN_DIMENSIONS.includes(dimensions)) {
    return validationError('Malformed input request: dimensions must be one of 256, 512, 1024');
  }
  const embedding = fakeTitanEmbedding(body.inputText, dimensions, body.normalize !== false);
  const inputTextTokenCount = body.inputText.split(/\s+/).filter(Boolean).length;
  return { kind: 'json', body: { embedding, inputTextTokenCount } };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

export class FakeBedrock {
  private readonly log = new RequestLog<RecordedBedrockRequest>();
  /** Every request received, oldest first. */
  public readonly requests = this.log.requests;
  private readonly scripts: Record<FakeBedrockOperation, FakeBedrockResponse[]> = { 'converse-stream': [], invoke: [] };

  private constructor(
    private readonly server: Server,
    /** Base URL for the client's `endpoint`, e.g. `http://127.0.0.1:40123`. */
    public readonly url: string,
  ) {}

  public static async start(): Promise<FakeBedrock> {
    const server = createServer();
    const port = await listen(server);
    const fake = new FakeBedrock(server, `http://127.0.0.1:${port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
    return fake;
  }

  /** Queues responses for ConverseStream calls, answered in order. With none queued a call gets a 500. */
  public scriptConverseStream(...responses: FakeBedrockResponse[]): void {
    this.scripts['converse-stream'].push(...responses);
  }

  /** Queues responses for InvokeModel calls. With none queued, Titan embeddings are answered deterministically. */
  public scriptInvoke(...responses: FakeBedrockResponse[]): void {
    this.scripts.invoke.push(...responses);
  }

  /** Resolves once `count` requests have been received (at once if they already have). */
  public whenRequests(count: number): Promise<void> {
    return this.log.whenRequests(count);
  }

  /** Resolves when the connection of request `index` (0 = the first) has closed, e.g. because the client aborted. */
  public whenClosed(index: number): Promise<void> {
    return this.log.whenClosed(index);
  }

  /** Forgets recorded requests and unused scripts. */
  public reset(): void {
    this.log.clear();
    this.scripts['converse-stream'].length = 0;
    this.scripts.invoke.length = 0;
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/model\/([^/]+)\/(converse-stream|invoke)$/.exec(new URL(req.url ?? '/', this.url).pathname);
    const body = await readBody(req);
    if (req.method !== 'POST' || !match) {
      const notFound = { kind: 'error', status: 404, errorType: 'UnknownOperationException', message: 'Not found' } as const;
      await this.respond(res, notFound, notFound);
      return;
    }
    const operation = match[2] as FakeBedrockOperation;
    const modelId = decodeURIComponent(match[1] as string);
    this.log.record({ operation, modelId, headers: req.headers, body }, res);
    const invalid = operation === 'converse-stream' ? validateConverse(body as ConverseBody) : undefined;
    const unscripted = this.unscripted(operation, body);
    await this.respond(res, invalid ?? this.scripts[operation].shift() ?? unscripted, unscripted);
  }

  private unscripted(operation: FakeBedrockOperation, body: unknown): FakeBedrockResponse {
    return operation === 'invoke'
      ? answerTitan(body as TitanBody)
      : { kind: 'error', status: 500, errorType: 'InternalServerException', message: 'No scripted response' };
  }

  private async respond(res: ServerResponse, response: FakeBedrockResponse, unscripted: FakeBedrockResponse): Promise<void> {
    const requestId = { 'x-amzn-requestid': `req-${this.requests.length}` };
    switch (response.kind) {
      case 'hang':
        return;
      case 'gate':
        await response.open;
        if (res.destroyed) return;
        return this.respond(res, response.then ?? unscripted, unscripted);
      case 'reset':
        res.socket?.destroy();
        return;
      case 'error':
        res.writeHead(response.status, {
          ...requestId,
          'content-type': 'application/json',
          'x-amzn-errortype': `${response.errorType}${ERROR_TYPE_SUFFIX}`,
        });
        res.end(JSON.stringify({ message: response.message }));
        return;
      case 'json':
        res.writeHead(200, { ...requestId, 'content-type': 'application/json' });
        res.end(JSON.stringify(response.body));
        return;
      case 'stream':
        res.writeHead(200, { ...requestId, 'content-type': 'application/vnd.amazon.eventstream' });
        await this.writeFrames(res, response.frames, response.chunkBytes);
        if (!response.holdOpen) res.end();
    }
  }

  private async writeFrames(res: ServerResponse, frames: FakeStreamFrame[], chunkBytes: number | undefined): Promise<void> {
    for (const frame of frames) {
      if (res.destroyed) return;
      if ('pauseMs' in frame) {
        await pause(frame.pauseMs);
        continue;
      }
      const bytes = 'raw' in frame ? frame.raw : encodeFrame(frame, frame.body);
      const size = chunkBytes ?? bytes.length;
      for (let offset = 0; offset < bytes.length; offset += size) {
        res.write(bytes.subarray(offset, offset + size));
        // Let the piece leave as its own chunk before writing the next.
        if (chunkBytes !== undefined) await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
}
