import { asErrorLike, type ErrorLike } from './error-like';
import { codeForStatus, INFERENCE_ERROR_CODES, type InferenceErrorCode, InferenceError } from './errors';
import { networkErrorCode } from './network-error-code';

/** Where the error happened: before the event stream started (an HTTP error) or inside it (an exception event). */
export type BedrockPhase = 'request' | 'stream';

/** Bedrock Runtime exceptions by name. A ValidationException depends on where it happened (see codeFor). */
const CODE_BY_EXCEPTION: Readonly<Record<string, InferenceErrorCode>> = {
  ThrottlingException: INFERENCE_ERROR_CODES.throttled,
  // "Your request exceeds the service quota ... You can resubmit your request later": a rate limit, so backoff helps.
  ServiceQuotaExceededException: INFERENCE_ERROR_CODES.throttled,
  ServiceUnavailableException: INFERENCE_ERROR_CODES.unavailable,
  InternalServerException: INFERENCE_ERROR_CODES.unavailable,
  ModelNotReadyException: INFERENCE_ERROR_CODES.unavailable,
  ModelTimeoutException: INFERENCE_ERROR_CODES.timeout,
  ModelErrorException: INFERENCE_ERROR_CODES.modelError,
  ModelStreamErrorException: INFERENCE_ERROR_CODES.modelError,
  AccessDeniedException: INFERENCE_ERROR_CODES.rejected,
  ResourceNotFoundException: INFERENCE_ERROR_CODES.rejected,
  UnrecognizedClientException: INFERENCE_ERROR_CODES.rejected,
  ExpiredTokenException: INFERENCE_ERROR_CODES.rejected,
};

/** Exception events inside ConverseStream are camel-cased (`modelStreamErrorException`). */
function exceptionName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Whether the error was decoded from the event stream. The SDK reads the first event before `send` resolves, so a
 * failure in the first frame surfaces in the request phase; it is told apart from an HTTP error by its status: a 2xx
 * response, or a modeled exception carrying no HTTP status at all (as exception events do).
 */
function fromStream(error: ErrorLike, phase: BedrockPhase): boolean {
  if (phase === 'stream') return true;
  if (error.status !== undefined) return error.status < 300;
  return error.fault !== undefined;
}

function codeFor(error: ErrorLike, phase: BedrockPhase): InferenceErrorCode | undefined {
  const name = exceptionName(error.name);
  const streamed = fromStream(error, phase);
  // Up front the request was refused; inside the stream it is the model's output that failed validation.
  if (name === 'ValidationException') {
    return streamed ? INFERENCE_ERROR_CODES.modelError : INFERENCE_ERROR_CODES.rejected;
  }
  const byName = CODE_BY_EXCEPTION[name];
  if (byName) return byName;
  if (networkErrorCode(error) !== undefined || name === 'TimeoutError') return INFERENCE_ERROR_CODES.unavailable;
  if (error.status !== undefined && error.status >= 400) return codeForStatus(error.status);
  // The event stream decoder throws plain Errors (bad checksum, truncated frame): what was sent was unreadable.
  if (streamed && name === 'Error' && error.fault === undefined) return INFERENCE_ERROR_CODES.modelError;
  return undefined;
}

/**
 * The InferenceError for a failure of a Bedrock call, decided here and nowhere else. Anything that is not a Bedrock,
 * HTTP, network or stream-decoding failure (a TypeError from our own code, say) is returned unchanged, so real bugs
 * surface.
 */
export function fromBedrockError(error: unknown, phase: BedrockPhase): unknown {
  const fields = asErrorLike(error);
  if (error instanceof InferenceError || !fields) return error;
  const code = codeFor(fields, phase);
  if (code === undefined) return error;
  const label = fields.name === 'Error' ? 'Bedrock' : `Bedrock ${exceptionName(fields.name)}`;
  // The SDK appends a hint about `$response` on a second line.
  const message = fields.message.split('\n')[0] as string;
  return new InferenceError(code, `${label}: ${message}`, { cause: error });
}
