/**
 * Sends the whole draft as `typing`, at most once per `intervalMs` (the latest draft wins; every `typing` is a
 * broadcast to the room), and `""` at once when the draft is cleared or sent, or sharing is switched off.
 */
export class DraftSender {
  private lastSent = '';
  private lastSentAt = 0;
  private latest = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sharing = true;

  public constructor(
    private readonly send: (text: string) => boolean,
    private readonly intervalMs = 250,
  ) {}

  /** Off: the room stops seeing the draft at once, and sees only sent messages until it is on again. */
  public share(on: boolean): void {
    this.sharing = on;
    if (on) this.resend();
    else this.flush();
  }

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
    const draft = this.sharing ? this.latest : '';
    if (draft === this.lastSent) return;
    if (this.send(draft)) {
      this.lastSent = draft;
      this.lastSentAt = Date.now();
    }
  }
}
