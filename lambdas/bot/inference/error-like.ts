/** The fields of a thrown error that the error mappings read. */
export interface ErrorLike {
  name: string;
  message: string;
  code: unknown;
  cause: unknown;
  /** AggregateError's errors. */
  errors: unknown;
  /** Set on modeled AWS SDK exceptions (`client` / `server`). */
  fault: unknown;
  /** The HTTP status of an AWS SDK error, when there was an HTTP response. */
  status: number | undefined;
}

/**
 * `value` read as an error when it looks like one. Duck-typed rather than `instanceof Error` on purpose: errors made
 * by Node's own modules (a refused socket) belong to another realm than the code's `Error` in some runtimes (jest's
 * sandbox, vm contexts), where `instanceof` says no.
 */
export function asErrorLike(value: unknown): ErrorLike | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Partial<Record<'name' | 'message' | 'code' | 'cause' | 'errors' | '$fault' | '$metadata', unknown>>;
  if (typeof fields.message !== 'string') return undefined;
  const status = (fields.$metadata as { httpStatusCode?: unknown } | undefined)?.httpStatusCode;
  return {
    name: typeof fields.name === 'string' ? fields.name : 'Error',
    message: fields.message,
    code: fields.code,
    cause: fields.cause,
    errors: fields.errors,
    fault: fields.$fault,
    status: typeof status === 'number' ? status : undefined,
  };
}
