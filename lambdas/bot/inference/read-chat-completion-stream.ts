import { chatCompletionChunkSchema, type ChatCompletionChunk } from './chat-completion-chunk';
import { INFERENCE_ERROR_CODES, InferenceError } from './errors';
import { openAiErrorMessage } from './openai-error-message';
import type { SseEvent } from './sse-parser';
import type { StreamPart, Usage } from './types';

const DONE = '[DONE]';

function parseChunk(data: string): ChatCompletionChunk {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new InferenceError(INFERENCE_ERROR_CODES.modelError, `llama server sent a chunk that is not JSON: ${data.slice(0, 200)}`);
  }
  const parsed = chatCompletionChunkSchema.safeParse(json);
  if (!parsed.success) {
    throw new InferenceError(INFERENCE_ERROR_CODES.modelError, `llama server sent an unexpected chunk: ${data.slice(0, 200)}`);
  }
  return parsed.data;
}

function errorMessage(data: string): string {
  try {
    return openAiErrorMessage(JSON.parse(data)) ?? data;
  } catch {
    return data;
  }
}

/**
 * Chat completion chunks as stream parts: `choices[0].delta.content` becomes text-deltas; the finish reason and the
 * usage (its own last chunk) are reported in one `finish` at `[DONE]`. An `error` payload (or an `error` event) is a
 * `model_error`; a stream that stops before `[DONE]` and before any finish reason was cut off (`unavailable`).
 */
export async function* readChatCompletionStream(events: AsyncIterable<SseEvent>): AsyncGenerator<StreamPart> {
  let stopReason: string | undefined;
  let usage: Usage | undefined;
  let done = false;
  for await (const event of events) {
    if (event.data === DONE) {
      done = true;
      break;
    }
    if (event.event === 'error') {
      throw new InferenceError(INFERENCE_ERROR_CODES.modelError, `llama server failed mid-stream: ${errorMessage(event.data)}`);
    }
    const chunk = parseChunk(event.data);
    if (chunk.error !== undefined && chunk.error !== null) {
      const message = openAiErrorMessage(chunk) ?? 'unknown error';
      throw new InferenceError(INFERENCE_ERROR_CODES.modelError, `llama server failed mid-stream: ${message}`);
    }
    const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0);
    const text = choice?.delta?.content;
    if (text) yield { type: 'text-delta', text };
    if (choice?.finish_reason) stopReason = choice.finish_reason;
    if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
  }
  if (!done && stopReason === undefined) {
    throw new InferenceError(INFERENCE_ERROR_CODES.unavailable, 'llama server closed the stream before [DONE]');
  }
  yield { type: 'finish', ...(stopReason === undefined ? {} : { stopReason }), ...(usage ? { usage } : {}) };
}
