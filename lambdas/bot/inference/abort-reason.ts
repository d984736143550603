import { INFERENCE_ERROR_CODES, InferenceError } from './errors';

/**
 * What a target throws once `signal` is aborted; targets do not decide why they were stopped, the one who aborted does.
 * - The fallback chain aborts with an InferenceError as the reason (`timeout`: no first token in time): thrown as is.
 * - A `TimeoutError` reason (from `AbortSignal.timeout()`) becomes a `timeout` InferenceError.
 * - Any other reason (the caller cancelled the answer) is thrown unchanged, so it is never mistaken for a failure of
 *   the target and the chain does not fall over to the next one.
 */
export function abortReason(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof InferenceError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new InferenceError(INFERENCE_ERROR_CODES.timeout, reason.message, { cause: reason });
  }
  return reason;
}
