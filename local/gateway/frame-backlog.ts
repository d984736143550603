/**
 * One connection's frames on their way to the integration, at most `maxInFlight` at once. The rest wait here, as the
 * text ws already read, and the socket is paused so the kernel holds what the client sends next.
 *
 * API Gateway invokes every frame as it arrives, and Lambda scales out to meet them. Here routing a frame (route
 * selection, the event, the invocation) costs the gateway's one thread about 75 µs, so a client sending 2,000 frames at
 * once would hold that thread for 150 ms while every other room's frames and @connections posts wait; the function pool
 * would still run them only two at a time (function-pool.ts). Waiting here instead changes nobody's outcome: every
 * frame is routed, in the order it came, with the time it arrived as its `requestTimeEpoch`.
 */
export class FrameBacklog {
  private inFlight = 0;
  private readonly waiting: { body: string; receivedAt: number }[] = [];

  public constructor(
    private readonly maxInFlight: number,
    /** Routes one frame; settles when its invocation is over. */
    private readonly route: (body: string, receivedAt: number) => Promise<void>,
    private readonly socket: { pause(): void; resume(): void },
  ) {}

  public push(body: string, receivedAt: number): void {
    if (this.inFlight < this.maxInFlight && this.waiting.length === 0) return this.start(body, receivedAt);
    this.waiting.push({ body, receivedAt });
    if (this.waiting.length === 1) this.socket.pause();
  }

  /** Frames read but not yet routed. */
  public get size(): number {
    return this.waiting.length;
  }

  private start(body: string, receivedAt: number): void {
    this.inFlight += 1;
    void this.route(body, receivedAt).finally(() => {
      this.inFlight -= 1;
      const next = this.waiting.shift();
      if (!next) return;
      if (this.waiting.length === 0) this.socket.resume();
      this.start(next.body, next.receivedAt);
    });
  }
}
