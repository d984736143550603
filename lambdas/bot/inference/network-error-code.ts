import { asErrorLike } from './error-like';

/** Socket-level failures: the server is down, unreachable or dropped the connection. Worth trying elsewhere. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  // undici
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** A code named in a message, e.g. `connect ECONNREFUSED 127.0.0.1:8080`. */
const CODE_IN_MESSAGE = /\b(E[A-Z]+|UND_ERR_[A-Z_]+)\b/g;
/** Node's message for a connection reset before the response (code ECONNRESET). */
const SOCKET_HANG_UP = /\bsocket hang up\b/;

/**
 * The network error code carried by `error` or its causes (fetch wraps them as `TypeError: fetch failed` with a
 * `cause`, sometimes an AggregateError of one per address tried), or undefined when it is not a network failure.
 * Failing a `code`, the message is read: the AWS SDK replaces an error it does not see as an `Error` (one from another
 * realm, as in jest's sandbox) by `Error("AWS SDK error wrapper for Error: connect ECONNREFUSED ...")`, dropping the
 * code; `socket hang up` is Node's message for ECONNRESET.
 */
export function networkErrorCode(error: unknown, depth = 0): string | undefined {
  const fields = asErrorLike(error);
  if (!fields || depth > 4) return undefined;
  if (typeof fields.code === 'string' && NETWORK_ERROR_CODES.has(fields.code)) return fields.code;
  const named = [...fields.message.matchAll(CODE_IN_MESSAGE)].map((match) => match[1] as string);
  const inMessage = named.find((code) => NETWORK_ERROR_CODES.has(code));
  if (inMessage) return inMessage;
  if (SOCKET_HANG_UP.test(fields.message)) return 'ECONNRESET';
  if (Array.isArray(fields.errors)) {
    for (const inner of fields.errors) {
      const found = networkErrorCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return networkErrorCode(fields.cause, depth + 1);
}
