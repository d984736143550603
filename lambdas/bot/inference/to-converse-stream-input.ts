import type { ConverseStreamCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { INFERENCE_ERROR_CODES, InferenceError } from './errors';
import { mergeConsecutiveTurns } from './merge-turns';
import type { InferenceRequest } from './types';

/**
 * The Converse request for `request`. Converse wants roles that alternate and a user turn first: consecutive turns of
 * one role are merged, and assistant turns before the first user turn are dropped (the window of history slid past
 * the question they answered). A blank system prompt is left out (Converse rejects empty text blocks).
 */
export function toConverseStreamInput(request: InferenceRequest, modelId: string): ConverseStreamCommandInput {
  const turns = mergeConsecutiveTurns(request.messages);
  const firstUser = turns.findIndex((turn) => turn.role === 'user');
  if (firstUser === -1) {
    throw new InferenceError(INFERENCE_ERROR_CODES.rejected, 'The request has no user turn to answer');
  }
  return {
    modelId,
    ...(request.system.trim() === '' ? {} : { system: [{ text: request.system }] }),
    messages: turns.slice(firstUser).map((turn) => ({ role: turn.role, content: [{ text: turn.content }] })),
    inferenceConfig: { maxTokens: request.maxOutputTokens },
  };
}
