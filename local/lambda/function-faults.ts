/**
 * Timeouts a test can impose on a function's next invocations (tests only): the invocation runs as usual, but its
 * timeout is `afterMs` instead of the function's own, so whatever it did by then stays done and the rest never
 * happens, exactly as when a Lambda runs past its timeout (its environment is discarded; the caller sees a timeout).
 */
export class FunctionFaults {
  private readonly timeouts = new Map<string, number[]>();

  public constructor(private readonly enabled: boolean) {}

  /** The next invocation of `functionName` (topology name) times out after `afterMs`; call again for more. */
  public timeOutNext(functionName: string, afterMs: number): void {
    if (!this.enabled) throw new Error('Function faults need the local runtime started with faultInjection: true');
    this.timeouts.set(functionName, [...(this.timeouts.get(functionName) ?? []), afterMs]);
  }

  public clear(): void {
    this.timeouts.clear();
  }

  /** The timeout imposed on this invocation of `functionName`, if any (taken: it applies once). */
  public takeTimeoutMs(functionName: string): number | undefined {
    return this.timeouts.get(functionName)?.shift();
  }
}
