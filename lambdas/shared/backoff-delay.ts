export interface BackoffOptions {
  /** The ceiling of the first retry's wait; it doubles each retry. */
  baseMs: number;
  /** No wait is longer than this. @default no limit */
  maxMs?: number;
  /** Returns a number in [0, 1). @default Math.random (tests pass a constant) */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": retry 0 waits between base/2 and base, retry 1 between base and 2*base, and
 * so on up to `maxMs`. Half is fixed so a retry never fires at once; half is random so retrying callers spread out.
 * The SDK's clients use the SDK's own retry strategies; this is for retries the SDK does not make.
 */
export function backoffDelayMs(retry: number, { baseMs, maxMs = Infinity, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retry);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
