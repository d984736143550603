import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen } from '../../local/listen';
import { RequestLog } from './request-log';

/**
 * A scripted OpenAI-compatible server (what llama.cpp's server, vLLM and Ollama expose): `POST /v1/chat/completions`
 * answered with server-sent events written exactly as scripted, byte for byte, so tests can split lines and UTF-8
 * characters across chunks, drop the connection, stall, or answer an error status. It records every request.
 */

/** A chunk; `{ pauseMs }` waits before the next write, `{ until }` holds the stream until the promise settles (a gate). */
export type SseWrite = string | Uint8Array | { pauseMs: number } | { until: Promise<unknown> };

export type FakeOpenAiResponse =
  | {
      kind: 'sse';
      /** Written in order, each as its own chunk; `{ pauseMs }` waits before the next, `{ until }` until it settles. */
      writes: SseWrite[];
      /** After the writes: end the response, hold it open (a stall) or destroy the socket. @default 'end' */
      then?: 'end' | 'hold' | 'destroy';
    }
  | { kind: 'status'; status: number; body: string; contentType?: string }
  /** Read the request and never answer (not even headers). */
  | { kind: 'hang' }
  /** Read the request and drop the connection without answering (a stale keep-alive socket looks like this). */
  | { kind: 'reset' };

export interface RecordedOpenAiRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** One SSE event carrying `payload` as JSON (or `[DONE]` as is). */
export function sseData(payload: unknown): string {
  return `data: ${payload === '[DONE]' ? '[DONE]' : JSON.stringify(payload)}\n\n`;
}

/** A `chat.completion.chunk` as llama.cpp's server sends it. */
export function completionChunk(
  delta: { role?: string; content?: string | null },
  finishReason: string | null = null,
): Record<string, unknown> {
  return {
    choices: [{ finish_reason: finishReason, index: 0, delta }],
    created: 1_763_000_000,
    id: 'chatcmpl-fake',
    model: 'llama-3.2-3b-instruct',
    system_fingerprint: 'b6000-fake',
    object: 'chat.completion.chunk',
  };
}

/** The last chunk with `stream_options.include_usage`: no choices, the usage. */
export function usageChunk(promptTokens: number, completionTokens: number): Record<string, unknown> {
  return {
    choices: [],
    created: 1_763_000_000,
    id: 'chatcmpl-fake',
    model: 'llama-3.2-3b-instruct',
    object: 'chat.completion.chunk',
    usage: { completion_tokens: completionTokens, prompt_tokens: promptTokens, total_tokens: promptTokens + completionTokens },
  };
}

/** The whole SSE body of a plain answer: role, one chunk per text, finish reason, usage, [DONE]. */
export function answerEvents(texts: readonly string[], usage: { prompt: number; completion: number }): string[] {
  return [
    sseData(completionChunk({ role: 'assistant', content: null })),
    ...texts.map((content) => sseData(completionChunk({ content }))),
    sseData(completionChunk({}, 'stop')),
    sseData(usageChunk(usage.prompt, usage.completion)),
    sseData('[DONE]'),
  ];
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class FakeOpenAiServer {
  private readonly log = new RequestLog<RecordedOpenAiRequest>();
  /** Every request received, oldest first. */
  public readonly requests = this.log.requests;
  private readonly scripts: FakeOpenAiResponse[] = [];
  private readonly routes: { matches: (body: unknown) => boolean; response: FakeOpenAiResponse }[] = [];

  private constructor(
    private readonly server: Server,
    /** Base URL, e.g. `http://127.0.0.1:40123`. */
    public readonly url: string,
  ) {}

  public static async start(): Promise<FakeOpenAiServer> {
    const server = createServer();
    const port = await listen(server);
    const fake = new FakeOpenAiServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((error: unknown) => res.destroy(error as Error));
    });
    return fake;
  }

  /** Queues responses, answered in order. With none queued a request gets a 500. */
  public script(...responses: FakeOpenAiResponse[]): void {
    this.scripts.push(...responses);
  }

  /** Resolves once `count` requests have been received (at once if they already have). */
  public whenRequests(count: number): Promise<void> {
    return this.log.whenRequests(count);
  }

  /** Resolves when the connection of request `index` (0 = the first) has closed, e.g. because the client aborted. */
  public whenClosed(index: number): Promise<void> {
    return this.log.whenClosed(index);
  }

  /**
   * Answers every request whose body `matches` with `response`, before the queue is consulted: for requests that race
   * each other (rooms answered in parallel), whose order the queue cannot know.
   */
  public route(matches: (body: unknown) => boolean, response: FakeOpenAiResponse): void {
    this.routes.push({ matches, response });
  }

  public reset(): void {
    this.log.clear();
    this.scripts.length = 0;
    this.routes.length = 0;
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    this.log.record({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body }, res);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 404, message: 'File Not Found', type: 'not_found_error' } }));
      return;
    }
    const response = this.routes.find(({ matches }) => matches(body))?.response ?? this.scripts.shift() ?? {
      kind: 'status',
      status: 500,
      body: JSON.stringify({ error: { code: 500, message: 'No scripted response', type: 'server_error' } }),
    };
    switch (response.kind) {
      case 'hang':
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'status':
        res.writeHead(response.status, { 'content-type': response.contentType ?? 'application/json' });
        res.end(response.body);
        return;
      case 'sse':
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        for (const write of response.writes) {
          if (res.destroyed) return;
          if (typeof write === 'object' && 'pauseMs' in write) {
            await new Promise((resolve) => setTimeout(resolve, write.pauseMs));
            continue;
          }
          if (typeof write === 'object' && 'until' in write) {
            await write.until.catch(() => undefined);
            continue;
          }
          res.write(write);
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (response.then === 'destroy') res.socket?.destroy();
        else if (response.then !== 'hold') res.end();
    }
  }
}

/** The content of the last message of a recorded chat completions request (the newest question, as the bot sends it). */
export function lastMessageOf(body: unknown): string {
  const messages = (body as { messages?: { content?: unknown }[] } | null)?.messages ?? [];
  return String(messages.at(-1)?.content ?? '');
}
