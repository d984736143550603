/**
 * Watches for the asker's stop request while an answer streams: reads it every `intervalMs` (one read in flight at a
 * time, so at most 1000/intervalMs reads a second per streaming answer) and calls `onStop` once when it is there.
 *
 * Why a read and not a stream record: the bot invocation answering a room is the one that would receive the room's
 * next records, and Lambda gives it none until it returns; so the request is written where the bot can read it (the
 * answer's claim, by the message function) and the bot looks.
 */
export class StopWatch {
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private stopRequested = false;

  public constructor(
    private readonly isRequested: () => Promise<boolean>,
    private readonly intervalMs: number,
    private readonly onStop: () => void,
    private readonly onReadError: (error: unknown) => void,
  ) {}

  /** Whether the stop was seen (and `onStop` called). */
  public get stopped(): boolean {
    return this.stopRequested;
  }

  /** Checks at once, then every `intervalMs` until `dispose`. */
  public start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    void this.check();
  }

  public dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    if (this.reading || this.stopRequested || !this.timer) return;
    this.reading = true;
    try {
      if ((await this.isRequested()) && this.timer && !this.stopRequested) {
        this.stopRequested = true;
        this.dispose();
        this.onStop();
      }
    } catch (error) {
      // A failed read only delays the stop to the next one; the answer goes on.
      this.onReadError(error);
    } finally {
      this.reading = false;
    }
  }
}
