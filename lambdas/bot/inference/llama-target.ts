import type { Dispatcher } from 'undici';
import { chatCompletionsUrl } from './chat-completions-url';
import { codeForStatus, INFERENCE_ERROR_CODES, InferenceError } from './errors';
import { fromFetchError } from './from-fetch-error';
import { httpUrl } from './http-url';
import { mergeConsecutiveTurns } from './merge-turns';
import { openAiErrorMessage } from './openai-error-message';
import { readChatCompletionStream } from './read-chat-completion-stream';
import { parseSse } from './sse-parser';
import type { InferenceRequest, InferenceTarget, StreamPart } from './types';

export interface LlamaTargetProps {
  /** The server's base URL, e.g. `http://100.101.102.6:8080` (a Tailscale address) or `http://127.0.0.1:11434`. */
  readonly baseUrl: string;
  /** Model name sent in the request (Ollama and vLLM route by it; llama.cpp serves its one model whatever it says). */
  readonly model: string;
  /** Sent as `Authorization: Bearer <apiKey>`. @default - no Authorization header */
  readonly apiKey?: string;
  /**
   * HTTP proxy the requests go through, e.g. Tailscale's userspace networking on `http://127.0.0.1:1055`.
   * @default - direct connection
   */
  readonly proxyUrl?: string;
  /** undici dispatcher to use instead. @default - a ProxyAgent for `proxyUrl`, else undici's global keep-alive agent */
  readonly dispatcher?: Dispatcher;
}

const MAX_ERROR_BODY_CHARS = 2000;

let undici: Promise<typeof import('undici')> | undefined;

/**
 * undici is loaded on the first llama request, not at module init: a bot whose chain has no llama target (the deployed
 * default is Bedrock) never evaluates it, and cold starts without it (`npm run bench:cold`).
 */
function loadUndici(): Promise<typeof import('undici')> {
  undici ??= import('undici');
  return undici;
}

function statusError(status: number, statusText: string, body: string): InferenceError {
  let message: string | undefined;
  try {
    message = openAiErrorMessage(JSON.parse(body));
  } catch {
    message = body.trim().slice(0, MAX_ERROR_BODY_CHARS) || undefined;
  }
  return new InferenceError(codeForStatus(status), `llama server answered ${status}: ${message ?? statusText}`);
}

/**
 * Streams answers from an OpenAI-compatible server (llama.cpp's server, vLLM, Ollama) through
 * `POST /v1/chat/completions` with `stream: true`, read as server-sent events. Uses undici's fetch, which, unlike
 * Node 20's global fetch, accepts a dispatcher and so a proxy.
 */
export class LlamaTarget implements InferenceTarget {
  public readonly name = 'llama' as const;
  public readonly model: string;
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly proxyUrl: string | undefined;
  private dispatcher: Dispatcher | undefined;

  public constructor(props: LlamaTargetProps) {
    this.url = chatCompletionsUrl(props.baseUrl);
    if (props.model === '') throw new TypeError('llama model must not be empty');
    this.model = props.model;
    this.headers = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(props.apiKey ? { authorization: `Bearer ${props.apiKey}` } : {}),
    };
    // Checked here, so a bad setting fails at init; the ProxyAgent itself is made with the first request.
    this.proxyUrl = props.proxyUrl ? httpUrl('llama proxyUrl', props.proxyUrl).href : undefined;
    this.dispatcher = props.dispatcher;
  }

  public async *stream(request: InferenceRequest): AsyncGenerator<StreamPart> {
    const { signal } = request;
    const messages = [
      ...(request.system.trim() === '' ? [] : [{ role: 'system', content: request.system }]),
      ...mergeConsecutiveTurns(request.messages),
    ];
    const body = JSON.stringify({
      model: this.model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: request.maxOutputTokens,
    });
    try {
      const { fetch, ProxyAgent } = await loadUndici();
      if (this.proxyUrl) this.dispatcher ??= new ProxyAgent(this.proxyUrl);
      const response = await fetch(this.url, {
        method: 'POST',
        headers: this.headers,
        body,
        signal,
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      });
      if (!response.ok) throw statusError(response.status, response.statusText, await response.text());
      if (!response.body) {
        throw new InferenceError(INFERENCE_ERROR_CODES.modelError, 'llama server answered without a body');
      }
      yield* readChatCompletionStream(parseSse(response.body));
    } catch (error) {
      throw fromFetchError(error, signal);
    }
  }
}
