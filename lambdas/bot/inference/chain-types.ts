import type { InferenceError } from './errors';
import type { StreamPart, TargetName } from './types';

/**
 * What the fallback chain streams: `start` names the target that answers (emitted once, right before its first
 * part), then that target's parts.
 */
export type ChainEvent = { type: 'start'; target: TargetName; model: string } | StreamPart;

/** One target that could not give a first part, and why. */
export interface TargetFailure {
  target: TargetName;
  model: string;
  /** The last failure. */
  error: InferenceError;
  /** Attempts made on this target (more than one when it was throttled and retried). */
  attempts: number;
}

export interface FallbackOptions {
  /**
   * A target that gives no first part within this many milliseconds is aborted and the next one is tried.
   * @default INFERENCE_DEFAULTS.firstTokenTimeoutMs (5000)
   */
  firstTokenTimeoutMs?: number;
  /** Extra attempts on a target that answered `throttled` before falling over. @default 2 */
  throttleRetries?: number;
  /** Backoff before the first retry, doubling each time, with jitter. @default 200 */
  backoffBaseMs?: number;
  /** Source of jitter, returning [0, 1). @default Math.random */
  random?: () => number;
  /** Told of every failed attempt, retried or not (to log fall-overs that end well). @default - nothing */
  onFailure?: (failure: TargetFailure) => void;
}
