import { abortReason } from './abort-reason';
import { asErrorLike } from './error-like';
import { INFERENCE_ERROR_CODES, InferenceError } from './errors';
import { networkErrorCode } from './network-error-code';

/**
 * The InferenceError for a failed fetch or body read against the llama server. fetch rejects with
 * `TypeError: fetch failed` (its cause says why) on any network failure (refused, reset, DNS, proxy tunnel refused),
 * and a body read fails with `TypeError: terminated` when the connection drops: both mean the server cannot be
 * reached (`unavailable`). An aborted signal yields the abort reason (see abortReason). Anything else is returned
 * unchanged so that real bugs surface.
 */
export function fromFetchError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return abortReason(signal);
  const fields = asErrorLike(error);
  if (error instanceof InferenceError || !fields) return error;
  const code = networkErrorCode(error);
  if (code === undefined && !(fields.name === 'TypeError' && fields.cause !== undefined)) return error;
  const cause = asErrorLike(fields.cause);
  return new InferenceError(
    INFERENCE_ERROR_CODES.unavailable,
    `llama server unreachable${code ? ` (${code})` : ''}: ${fields.message}${cause ? `: ${cause.message}` : ''}`,
    { cause: error },
  );
}
