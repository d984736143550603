import type { ErrorCode } from './error-codes';

/** A failure that belongs to the protocol: it becomes an `error` frame (or a rejected handshake), never a crash. */
export class ProtocolError extends Error {
  public readonly code: ErrorCode;

  public constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}
