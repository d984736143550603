/**
 * Timeouts a test can impose on a function's next invocations (tests only): the invocation runs as usual, but it times
 * out after `afterMs`, or when a promise settles, instead of after the function's own timeout, so whatever it did by
 * then stays done and the rest never happens, exactly as when a Lambda runs past its timeout (its environment is
 * discarded; the caller sees a timeout). A promise times it out at a chosen point, e.g. `faults.kinesis.whenHeld()`:
 * the moment it hangs on a write.
 */
export class FunctionFaults {
  private readonly timeouts = new Map<string, (number | Promise<unknown>)[]>();

  public constructor(private readonly enabled: boolean) {}

  /**
   * The next invocation of `functionName` (topology name) times out after `after` ms, or when `after` settles; call
   * again for more.
   */
  public timeOutNext(functionName: string, after: number | Promise<unknown>): void {
    if (!this.enabled) throw new Error('Function faults need the local runtime started with faultInjection: true');
    this.timeouts.set(functionName, [...(this.timeouts.get(functionName) ?? []), after]);
  }

  public clear(): void {
    this.timeouts.clear();
  }

  /** The timeout imposed on this invocation of `functionName`, if any (taken: it applies once). */
  public takeTimeout(functionName: string): number | Promise<unknown> | undefined {
    return this.timeouts.get(functionName)?.shift();
  }
}
