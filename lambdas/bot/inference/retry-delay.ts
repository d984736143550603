import { backoffDelayMs } from '../../shared/backoff-delay';
import { INFERENCE_ERROR_CODES, type InferenceError } from './errors';
import { networkErrorCode } from './network-error-code';

/** A connection that was open and then dropped: most often a keep-alive socket that went stale while idle. */
const DROPPED_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export interface RetryPolicy {
  throttleRetries: number;
  backoffBaseMs: number;
  random?: () => number;
}

/**
 * How long to wait before trying the same target again after `error` on attempt `attempt` (1-based), or undefined to
 * fall over to the next target. Decided here only:
 * - `throttled`: up to `throttleRetries` more attempts, with exponential backoff and jitter;
 * - a dropped connection before the first part: one more attempt at once. The SDK's own retries are off (the chain
 *   owns retries), and a Lambda instance thawed after minutes may hold keep-alive sockets the server has closed;
 *   without this, a chain of one target would fail the first answer after every idle spell;
 * - anything else: no retry.
 */
export function retryDelayMs(error: InferenceError, attempt: number, policy: RetryPolicy): number | undefined {
  if (error.code === INFERENCE_ERROR_CODES.throttled) {
    return attempt <= policy.throttleRetries ? backoffDelayMs(attempt - 1, { baseMs: policy.backoffBaseMs, random: policy.random }) : undefined;
  }
  const code = networkErrorCode(error.cause);
  if (error.code === INFERENCE_ERROR_CODES.unavailable && attempt === 1 && code !== undefined && DROPPED_CONNECTION.has(code)) {
    return 0;
  }
  return undefined;
}
