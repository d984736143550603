import type { ChatTurn, InferenceRequest } from '../../../../lambdas/bot/inference/types';

/** A request with defaults for what a test does not care about. */
export function inferenceRequest(overrides: Partial<InferenceRequest> & { messages?: ChatTurn[] } = {}): InferenceRequest {
  return {
    system: 'You are the assistant of a chat room.',
    messages: [{ role: 'user', content: 'Ada: What is Kinesis?' }],
    maxOutputTokens: 256,
    signal: new AbortController().signal,
    ...overrides,
  };
}
