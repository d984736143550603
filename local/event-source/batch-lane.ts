import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type { StreamConsumerSpec } from '../../contract';
import { backoffDelayMs } from '../../lambdas/shared/backoff-delay';
import type { BatchOutcome } from './batch-outcome';
import type { FailedBatch } from './failure-destination';
import type { ShardProgress } from './shard-progress';

/** The longest wait between two tries of a failed batch. */
const MAX_RETRY_DELAY_MS = 2000;

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
}

/**
 * One of a shard's concurrent batch processors (Lambda's ParallelizationFactor): records of one partition key always
 * go to the same lane, so they are processed in order, while other keys' lanes run beside it. Within a lane, Lambda's
 * semantics: batches of at most batchSize, retry from the record reported in batchItemFailures, bisect on function
 * error, bounded retries, then the on-failure destination.
 */
export class BatchLane {
  private readonly queue: KinesisRecord[] = [];
  private running: Promise<void> | undefined;

  public constructor(private readonly context: LaneContext) {}

  public push(record: KinesisRecord): void {
    this.queue.push(record);
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
    while (this.queue.length > 0 && !this.context.stopped()) {
      this.dropExpired();
      const batch = this.queue.slice(0, batchSize);
      if (batch.length === 0) continue;
      const outcome = await this.context.invoke(batch);
      if (outcome.kind === 'success') {
        this.finish(batch.length);
        attempts = 0;
        batchSize = spec.batchSize;
        continue;
      }
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
        attempts = 0;
        batchSize = spec.batchSize;
        continue;
      }
      await this.context.pause(backoffDelayMs(attempts - 1, { baseMs: this.context.retryBaseDelayMs, maxMs: MAX_RETRY_DELAY_MS }));
    }
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
