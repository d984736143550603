/**
 * Exponential backoff with "equal jitter": retry 0 waits between base/2 and base, retry 1 between base and 2*base, and
 * so on. Half is fixed so a retry never fires at once; half is random so throttled callers spread out.
 * `random` returns a number in [0, 1) (Math.random by default; tests pass a constant).
 */
export function backoffDelayMs(retry: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = baseMs * 2 ** retry;
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
