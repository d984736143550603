import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { abortReason } from './abort-reason';
import { INFERENCE_ERROR_CODES, InferenceError } from './errors';
import { fromBedrockError } from './from-bedrock-error';
import type { StreamPart, Usage } from './types';

/** Exception events a ConverseStream may carry; the SDK normally throws them, but may hand them over as members. */
const EXCEPTION_MEMBERS = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
] as const;

function exceptionIn(event: ConverseStreamOutput): Error | undefined {
  for (const member of EXCEPTION_MEMBERS) {
    const value: unknown = event[member];
    if (value === undefined) continue;
    const message = (value as { message?: unknown }).message;
    const error = new Error(typeof message === 'string' ? message : JSON.stringify(value));
    error.name = member;
    return error;
  }
  return undefined;
}

/**
 * ConverseStream events as stream parts: `contentBlockDelta` text becomes text-deltas; `messageStop` gives the stop
 * reason and `metadata` (which follows it) the usage, both reported in one `finish` at the end of the stream.
 * Other deltas (tool use, reasoning) are not shown in the chat and are skipped.
 */
export async function* readConverseStream(
  stream: AsyncIterable<ConverseStreamOutput>,
  signal: AbortSignal,
): AsyncGenerator<StreamPart> {
  let stopReason: string | undefined;
  let usage: Usage | undefined;
  try {
    for await (const event of stream) {
      const exception = exceptionIn(event);
      if (exception) throw fromBedrockError(exception, 'stream');
      const text = event.contentBlockDelta?.delta?.text;
      if (text) yield { type: 'text-delta', text };
      if (event.messageStop) stopReason = event.messageStop.stopReason ?? 'unknown';
      const tokens = event.metadata?.usage;
      if (tokens) usage = { inputTokens: tokens.inputTokens ?? 0, outputTokens: tokens.outputTokens ?? 0 };
    }
  } catch (error) {
    throw signal.aborted ? abortReason(signal) : fromBedrockError(error, 'stream');
  }
  if (stopReason === undefined) {
    throw new InferenceError(INFERENCE_ERROR_CODES.modelError, 'Bedrock stream ended before messageStop');
  }
  yield { type: 'finish', stopReason, ...(usage ? { usage } : {}) };
}
