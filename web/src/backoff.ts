/** Reconnect delays: exponential from `baseMs`, capped at `maxMs`, with "equal jitter" (half fixed, half random). */
export interface BackoffOptions {
  /** @default 500 */
  readonly baseMs?: number;
  /** @default 30000 */
  readonly maxMs?: number;
  /** @default Math.random */
  readonly random?: () => number;
}

/**
 * The delay before reconnect attempt `attempt` (0 = the first retry after a drop): between half and all of
 * `min(maxMs, baseMs * 2^attempt)`. Never zero, so a crowd dropped at once by a restart does not return at once.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 500, maxMs = 30_000, random = Math.random } = options;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
