/**
 * Where a shard is done up to: records finish out of order across lanes, and the checkpoint may only move past a
 * record once it and every record before it are finished (delivered, filtered out, or sent to the failure destination).
 */
export class ShardProgress {
  private readonly pending: { sequenceNumber: string; done: boolean }[] = [];

  public constructor(private readonly onCheckpoint: (sequenceNumber: string) => void) {}

  public get inFlight(): number {
    return this.pending.length;
  }

  public add(sequenceNumber: string): void {
    this.pending.push({ sequenceNumber, done: false });
  }

  public complete(sequenceNumber: string): void {
    const entry = this.pending.find((candidate) => candidate.sequenceNumber === sequenceNumber);
    if (entry) entry.done = true;
    let last: string | undefined;
    while (this.pending[0]?.done) last = this.pending.shift()?.sequenceNumber;
    if (last !== undefined) this.onCheckpoint(last);
  }
}
