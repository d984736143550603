/**
 * The contract every inference target implements (Bedrock, the on-prem llama over Tailscale, offline): a stream of
 * parts, so the rest of the bot never knows which one answered.
 */

import type { BotTargetName } from '../../../contract/settings';

export type TargetName = BotTargetName;

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface InferenceRequest {
  /** The system prompt, with any retrieved context already in it. */
  system: string;
  /** The conversation, oldest first, ending with a user turn. Consecutive turns of the same role are allowed. */
  messages: ChatTurn[];
  maxOutputTokens: number;
  /** Aborted when the bot gives up on this target (first-token timeout) or the answer must stop. */
  signal: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type StreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'finish'; usage?: Usage; stopReason?: string };

/** A target streams parts; it throws an InferenceError (see errors.ts) when it fails. */
export interface InferenceTarget {
  readonly name: TargetName;
  /** Model id or name, reported in the `ai` `start` event. */
  readonly model: string;
  stream(request: InferenceRequest): AsyncIterable<StreamPart>;
}
