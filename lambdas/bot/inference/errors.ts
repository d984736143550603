/** Why a target failed, in terms the fallback chain acts on. */
export const INFERENCE_ERROR_CODES = {
  /** 429 / ThrottlingException: retried with backoff before falling over to the next target. */
  throttled: 'throttled',
  /** No first token within the timeout, or the connection hung. */
  timeout: 'timeout',
  /** Connection refused, DNS, 5xx, service unavailable. */
  unavailable: 'unavailable',
  /** The model failed mid-stream (e.g. Bedrock's modelStreamErrorException) or sent something unreadable. */
  modelError: 'model_error',
  /** The request was refused as invalid (4xx other than 408/409/429): retrying cannot help. */
  rejected: 'rejected',
} as const;

export type InferenceErrorCode = (typeof INFERENCE_ERROR_CODES)[keyof typeof INFERENCE_ERROR_CODES];

export class InferenceError extends Error {
  public constructor(
    public readonly code: InferenceErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InferenceError';
  }
}

/** Retryability decided from an HTTP status, in one place: 408, 409, 429 and 5xx are worth another try. */
export function codeForStatus(status: number): InferenceErrorCode {
  if (status === 429) return INFERENCE_ERROR_CODES.throttled;
  if (status === 408) return INFERENCE_ERROR_CODES.timeout;
  if (status === 409 || status >= 500) return INFERENCE_ERROR_CODES.unavailable;
  return INFERENCE_ERROR_CODES.rejected;
}
