import type { ErrorCode } from './error-codes';

/** A failure that belongs to the protocol: it becomes an `error` frame (or a rejected handshake), never a crash. */
export class ProtocolError extends Error {
  public readonly code: ErrorCode;
  /** Sent as the error frame's `retryAfterMs` (with `rate_limited`). */
  public readonly retryAfterMs: number | undefined;

  public constructor(code: ErrorCode, message: string, options: { retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }
}
