import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** The Kinesis API actions that add records to a stream. */
const WRITE_TARGETS = new Set(['Kinesis_20131202.PutRecord', 'Kinesis_20131202.PutRecords']);

/**
 * Counts the writes the local Kinesis has answered with success, so that a stream reader that found nothing can wait
 * for the next write instead of polling an idle shard: each read is an SDK call and a LevelDB scan, and polling every
 * few milliseconds kept a quarter of a core busy per idle runtime.
 */
export class KinesisWrites {
  private written = 0;
  private readonly waiters = new Set<() => void>();

  public constructor(server: Server) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (!WRITE_TARGETS.has(String(request.headers['x-amz-target']))) return;
      response.once('finish', () => {
        if (response.statusCode === 200) this.notify();
      });
    });
  }

  /** How many writes succeeded so far: read it before a read of the stream, and pass it to `after`. */
  public get count(): number {
    return this.written;
  }

  /** Resolves once a write succeeded after the `seen`th, or after `ms`, or when `signal` aborts. */
  public after(seen: number, ms: number, signal: AbortSignal): Promise<void> {
    if (this.written !== seen || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private notify(): void {
    this.written += 1;
    for (const waiter of [...this.waiters]) waiter();
  }
}
