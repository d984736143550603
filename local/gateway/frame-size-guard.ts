/**
 * Watches the raw bytes a client sends and reports the first frame whose payload exceeds `limitBytes`. API Gateway
 * limits each frame to 32 KB (a bigger message must be fragmented), which `ws` cannot check: it only limits whole
 * messages. It also counts the messages complete before that frame, so the gateway routes those and nothing after.
 */
export class FrameSizeGuard {
  private header = Buffer.alloc(0);
  /** Payload bytes of the current frame still to skip. */
  private skipping = 0;
  private tripped = false;
  /** Data frames with FIN seen so far: each ends a message. */
  private messagesBefore = 0;

  public constructor(
    private readonly limitBytes: number,
    private readonly onOversize: (payloadBytes: number, messagesBefore: number) => void,
  ) {}

  public push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.tripped) {
      if (this.skipping > 0) {
        const skipped = Math.min(this.skipping, chunk.length - offset);
        this.skipping -= skipped;
        offset += skipped;
        continue;
      }
      const needed = this.headerLength();
      const take = Math.min(needed - this.header.length, chunk.length - offset);
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + take)]);
      offset += take;
      if (this.header.length < this.headerLength()) continue;
      const payloadBytes = this.payloadLength();
      const first = this.header[0] as number;
      this.header = Buffer.alloc(0);
      if (payloadBytes > this.limitBytes) {
        this.tripped = true;
        this.onOversize(payloadBytes, this.messagesBefore);
        return;
      }
      const isControl = (first & 0x08) !== 0;
      if (first & 0x80 && !isControl) this.messagesBefore += 1;
      this.skipping = payloadBytes;
    }
  }

  /** Bytes of the current frame's header: 2, plus the extended length, plus the mask key. */
  private headerLength(): number {
    if (this.header.length < 2) return 2;
    const second = this.header[1] as number;
    const length7 = second & 0x7f;
    const extended = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
    const mask = second & 0x80 ? 4 : 0;
    return 2 + extended + mask;
  }

  private payloadLength(): number {
    const length7 = (this.header[1] as number) & 0x7f;
    if (length7 === 126) return this.header.readUInt16BE(2);
    if (length7 === 127) return Number(this.header.readBigUInt64BE(2));
    return length7;
  }
}
