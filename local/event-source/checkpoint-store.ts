import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** How long a moved checkpoint may wait before it is written: one write per busy moment, not one per record. */
const WRITE_DELAY_MS = 100;

/**
 * Where each consumer got to in each shard, kept on disk so a restart resumes after the last delivered record instead
 * of skipping what arrived meanwhile (Lambda keeps this state for an event source mapping). Writes are coalesced
 * (a synchronous file write per record slowed the whole runtime); a crash can redeliver the last 100 ms of records,
 * which is Lambda's at-least-once delivery anyway, and `close()` on stop loses nothing.
 */
export class CheckpointStore {
  private readonly positions: Record<string, string>;
  private pendingWrite: NodeJS.Timeout | undefined;
  private closed = false;

  public constructor(private readonly path: string | undefined) {
    this.positions = path ? readPositions(path) : {};
  }

  public get(consumer: string, shardId: string): string | undefined {
    return this.positions[`${consumer}/${shardId}`];
  }

  public set(consumer: string, shardId: string, sequenceNumber: string): void {
    this.positions[`${consumer}/${shardId}`] = sequenceNumber;
    if (!this.path || this.pendingWrite || this.closed) return;
    this.pendingWrite = setTimeout(() => this.flush(), WRITE_DELAY_MS);
  }

  /**
   * Writes what is not on disk yet and writes nothing more: a batch finishing after its mapping stopped must not write
   * into a data folder the runtime has released (to a runtime started on it since, or after it was deleted). That
   * batch is delivered again after the next start, as any batch unfinished at a stop.
   */
  public close(): void {
    this.flush();
    this.closed = true;
  }

  /** Writes what is not on disk yet. */
  public flush(): void {
    clearTimeout(this.pendingWrite);
    this.pendingWrite = undefined;
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.positions, null, 2));
    renameSync(temporary, this.path);
  }
}

function readPositions(path: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}
