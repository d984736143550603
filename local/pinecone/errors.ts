import { GRPC_CODES } from './grpc-codes';

/**
 * An error that belongs to the protocol: answered with Pinecone's error body `{ code, message, details }` and its HTTP
 * status, which the official client turns into PineconeBadRequestError (400), PineconeNotFoundError (404), ...
 * Anything else thrown by an action is a bug and answers 500.
 */
export class PineconeApiError extends Error {
  public readonly status: number;
  public readonly grpcCode: number;

  public constructor(status: number, grpcCode: number, message: string) {
    super(message);
    this.name = 'PineconeApiError';
    this.status = status;
    this.grpcCode = grpcCode;
  }

  public body(): { code: number; message: string; details: unknown[] } {
    return { code: this.grpcCode, message: this.message, details: [] };
  }
}

export function badRequest(message: string): PineconeApiError {
  return new PineconeApiError(400, GRPC_CODES.invalidArgument, message);
}
