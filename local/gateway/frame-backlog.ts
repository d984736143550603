/**
 * One connection's frames on their way to the integration, at most `maxInFlight` at once. The rest wait here, as the
 * text ws already read, and the socket is paused so the kernel holds what the client sends next.
 *
 * API Gateway invokes every frame as it arrives, and Lambda scales out to meet them. Here routing a frame (route
 * selection, the event, the invocation) costs the gateway's one thread about 75 µs, so a client sending 2,000 frames at
 * once would hold that thread for 150 ms while every other room's frames and @connections posts wait; the function pool
 * would still run them only two at a time (function-pool.ts). Waiting here instead changes nobody's outcome: every
 * frame is routed, in the order it came, with the time it arrived as its `requestTimeEpoch`.
 *
 * A connection with more than `floodAbove` frames waiting is flooding (no person or page sends that fast): its frames
 * are then routed one at a time until the backlog is back under that. Each refused frame still costs about a
 * millisecond of CPU across the gateway and a function's thread (the invocation, the `error` post, its delivery); on
 * AWS that CPU is the flooder's own environments', here it is the same two cores every other room needs.
 */
export class FrameBacklog {
  private inFlight = 0;
  private readonly waiting: { body: string; receivedAt: number }[] = [];

  public constructor(
    private readonly maxInFlight: number,
    /** Routes one frame; settles when its invocation is over. */
    private readonly route: (body: string, receivedAt: number) => Promise<void>,
    private readonly socket: { pause(): void; resume(): void },
    private readonly floodAbove = 64,
  ) {}

  public push(body: string, receivedAt: number): void {
    if (this.inFlight < this.limit && this.waiting.length === 0) return this.start(body, receivedAt);
    this.waiting.push({ body, receivedAt });
    if (this.waiting.length === 1) this.socket.pause();
  }

  /** Frames read but not yet routed. */
  public get size(): number {
    return this.waiting.length;
  }

  private get limit(): number {
    return this.waiting.length > this.floodAbove ? 1 : this.maxInFlight;
  }

  private start(body: string, receivedAt: number): void {
    this.inFlight += 1;
    void this.route(body, receivedAt).finally(() => {
      this.inFlight -= 1;
      this.startWaiting();
    });
  }

  private startWaiting(): void {
    while (this.inFlight < this.limit) {
      const next = this.waiting.shift();
      if (!next) return;
      if (this.waiting.length === 0) this.socket.resume();
      this.start(next.body, next.receivedAt);
    }
  }
}
