/**
 * Sends the whole draft as `typing`, at most once per `intervalMs` (the latest draft wins; every `typing` is a
 * broadcast to the room), and `""` at once when the draft is cleared or sent.
 */
export class DraftSender {
  private lastSent = '';
  private lastSentAt = 0;
  private latest = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  public constructor(
    private readonly send: (text: string) => boolean,
    private readonly intervalMs = 250,
  ) {}

  public update(draft: string): void {
    this.latest = draft;
    if (draft === '') {
      this.flush();
      return;
    }
    if (this.timer !== undefined) return;
    const wait = this.lastSentAt + this.intervalMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** The draft became a message: others must stop seeing it. */
  public sent(): void {
    this.update('');
  }

  /** After a reconnect the room has forgotten the draft: show it again. */
  public resend(): void {
    this.lastSent = '';
    if (this.latest !== '') this.update(this.latest);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.latest === this.lastSent) return;
    if (this.send(this.latest)) {
      this.lastSent = this.latest;
      this.lastSentAt = Date.now();
    }
  }
}
