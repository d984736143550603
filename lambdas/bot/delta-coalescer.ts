/**
 * Coalesces streamed text into deltas: at most one per `windowMs`, unless `maxChars` are already waiting. A 500-token
 * answer then costs tens of stream records and posts per listener instead of hundreds, and still looks live.
 */
export class DeltaCoalescer {
  private buffer = '';
  private lastEmit = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  public constructor(
    private readonly windowMs: number,
    private readonly maxChars: number,
    private readonly emit: (text: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  public push(text: string): void {
    if (text === '') return;
    this.buffer += text;
    if (this.buffer.length >= this.maxChars) return this.flush();
    if (this.timer) return;
    const wait = this.lastEmit + this.windowMs - this.now();
    if (wait <= 0) return this.flush();
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Emits whatever is waiting; call at the end of the stream. */
  public flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    this.lastEmit = this.now();
    this.emit(text);
  }
}
