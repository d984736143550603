import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type { StreamConsumerSpec } from '../../contract';
import { backoffDelayMs } from '../../lambdas/shared/backoff-delay';
import type { BatchOutcome } from './batch-outcome';
import type { FailedBatch } from './failure-destination';
import type { ShardProgress } from './shard-progress';

/** The longest wait between two tries of a failed batch. */
const MAX_RETRY_DELAY_MS = 2000;

/** Lambda's limit on a synchronous invocation's payload: a batch is cut where its event would exceed it. */
export const INVOKE_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
/** `{"Records":[` and `]}` around the records. */
const EVENT_ENVELOPE_BYTES = '{"Records":[]}'.length;

export interface LaneContext {
  spec: StreamConsumerSpec;
  progress: ShardProgress;
  invoke: (batch: KinesisRecord[]) => Promise<BatchOutcome>;
  sendToFailureDestination: (
    records: KinesisRecord[],
    condition: FailedBatch['requestContext']['condition'],
    attempts: number,
    outcome: BatchOutcome,
  ) => void;
  pause: (ms: number) => Promise<void>;
  stopped: () => boolean;
  retryBaseDelayMs: number;
  /** Bytes one record takes in the invocation's event (JSON). */
  recordBytes: (record: KinesisRecord) => number;
}

/**
 * One of a shard's concurrent batch processors (Lambda's ParallelizationFactor): records of one partition key always
 * go to the same lane, so they are processed in order, while other keys' lanes run beside it. Within a lane, Lambda's
 * semantics: batches of at most batchSize and at most the invocation payload limit, gathered for up to
 * MaximumBatchingWindowInSeconds, retry from the record reported in batchItemFailures, bisect on function error,
 * bounded retries, then the on-failure destination.
 */
export class BatchLane {
  private readonly queue: KinesisRecord[] = [];
  /** When each queued record reached the lane: a batch's window runs from its first record's arrival. */
  private readonly arrivals = new WeakMap<KinesisRecord, number>();
  private running: Promise<void> | undefined;
  private wakeGatherer: (() => void) | undefined;

  public constructor(private readonly context: LaneContext) {}

  public push(record: KinesisRecord): void {
    this.queue.push(record);
    this.arrivals.set(record, Date.now());
    this.wakeGatherer?.();
    // Start on the next microtask, so every record of the same read joins the first batch. work() only returns once
    // the queue is empty, and nothing can be pushed between that and this reset.
    this.running ??= Promise.resolve()
      .then(() => this.work())
      .finally(() => (this.running = undefined));
  }

  private async work(): Promise<void> {
    const { spec } = this.context;
    let batchSize = spec.batchSize;
    let attempts = 0;
    // A retry goes at once; after a success the next batch may wait for the window (counted from its first record's
    // arrival, so records left over from an earlier batch wait no longer than their own window).
    let retrying = false;
    while (this.queue.length > 0 && !this.context.stopped()) {
      if (!retrying) await this.gather();
      if (this.context.stopped()) break;
      this.dropExpired();
      const batch = this.nextBatch(batchSize);
      if (batch.length === 0) continue;
      const outcome = await this.context.invoke(batch);
      if (outcome.kind === 'success') {
        retrying = false;
        this.finish(batch.length);
        attempts = 0;
        batchSize = spec.batchSize;
        continue;
      }
      retrying = true;
      let failed = batch;
      if (outcome.kind === 'partial') {
        // Records before the failed one are done; Lambda retries from the failed record.
        this.finish(outcome.failedIndex);
        failed = batch.slice(outcome.failedIndex);
      } else if (spec.bisectBatchOnError && batch.length > 1) {
        // Splitting a batch does not count as a retry in Lambda.
        batchSize = Math.ceil(batch.length / 2);
        continue;
      }
      attempts += 1;
      if (attempts > spec.retryAttempts) {
        this.context.sendToFailureDestination(failed, 'RetryAttemptsExhausted', attempts, outcome);
        this.finish(failed.length);
        retrying = false;
        attempts = 0;
        batchSize = spec.batchSize;
        continue;
      }
      await this.context.pause(backoffDelayMs(attempts - 1, { baseMs: this.context.retryBaseDelayMs, maxMs: MAX_RETRY_DELAY_MS }));
    }
  }

  /**
   * MaximumBatchingWindowInSeconds: holds the batch back until it is full (batch size or payload limit) or the window,
   * counted from its first record's arrival, has elapsed.
   */
  private async gather(): Promise<void> {
    const windowMs = this.context.spec.maxBatchingWindowSeconds * 1000;
    const first = this.queue[0];
    if (windowMs <= 0 || !first) return;
    const remainingMs = (this.arrivals.get(first) ?? Date.now()) + windowMs - Date.now();
    if (remainingMs <= 0 || this.isFull()) return;
    let elapsed = false;
    const windowEnds = this.context.pause(remainingMs).then(() => (elapsed = true));
    while (!elapsed && !this.context.stopped() && !this.isFull()) {
      await Promise.race([windowEnds, new Promise<void>((resolve) => (this.wakeGatherer = resolve))]);
      this.wakeGatherer = undefined;
    }
  }

  private isFull(): boolean {
    const { batchSize } = this.context.spec;
    return this.queue.length >= batchSize || this.nextBatch(batchSize).length < this.queue.length;
  }

  /** The next batch: at most `batchSize` records, and no more than fit the invocation payload limit (at least one). */
  private nextBatch(batchSize: number): KinesisRecord[] {
    let bytes = EVENT_ENVELOPE_BYTES;
    let count = 0;
    for (const record of this.queue) {
      if (count === batchSize) break;
      bytes += this.context.recordBytes(record) + (count > 0 ? 1 : 0);
      if (count > 0 && bytes > INVOKE_PAYLOAD_LIMIT_BYTES) break;
      count += 1;
    }
    return this.queue.slice(0, count);
  }

  /** The first `count` queued records are done with. */
  private finish(count: number): void {
    for (const record of this.queue.splice(0, count)) this.context.progress.complete(record.SequenceNumber as string);
  }

  private dropExpired(): void {
    const oldestAllowed = Date.now() - this.context.spec.maxRecordAgeSeconds * 1000;
    const expired = this.queue.filter((record) => (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) < oldestAllowed);
    if (expired.length === 0) return;
    this.context.sendToFailureDestination(expired, 'RecordAgeExceeded', 0, { kind: 'success' });
    for (const record of expired) {
      this.queue.splice(this.queue.indexOf(record), 1);
      this.context.progress.complete(record.SequenceNumber as string);
    }
  }
}
