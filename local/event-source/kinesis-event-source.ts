import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  ListShardsCommand,
  type _Record as KinesisRecord,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamConsumerSpec } from '../../lib/topology';
import { readBatchOutcome, type BatchOutcome } from './batch-outcome';
import type { CheckpointStore } from './checkpoint-store';
import type { FailureDestination } from './failure-destination';
import { kinesisEvent } from './kinesis-event';

export interface KinesisEventSourceOptions {
  client: KinesisClient;
  streamName: string;
  streamArn: string;
  region: string;
  functionName: string;
  spec: StreamConsumerSpec;
  invoke: (event: unknown) => Promise<unknown>;
  checkpoints: CheckpointStore;
  failures: FailureDestination;
  log: (line: string) => void;
  /** Pause between reads of an idle shard; enhanced fan-out pushes within about 70 ms in AWS. */
  idlePollMs?: number;
  /** First retry delay; doubles per attempt. */
  retryBaseDelayMs?: number;
}

/**
 * A Lambda event source mapping for a Kinesis stream: reads each shard in order and invokes the function with
 * batches, with Lambda's semantics for batch size, ReportBatchItemFailures (retry from the failed record), bisect on
 * function error, bounded retries, maximum record age and an on-failure destination.
 */
export class KinesisEventSource {
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];

  public constructor(private readonly options: KinesisEventSourceOptions) {}

  public async start(): Promise<void> {
    const { Shards = [] } = await this.options.client.send(new ListShardsCommand({ StreamName: this.options.streamName }));
    for (const shard of Shards) {
      const shardId = shard.ShardId as string;
      const iterator = await this.initialIterator(shardId);
      this.loops.push(this.pollShard(shardId, iterator));
    }
  }

  public async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async initialIterator(shardId: string): Promise<string> {
    const { client, streamName, functionName, spec, checkpoints } = this.options;
    const checkpoint = checkpoints.get(functionName, shardId);
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ...(checkpoint
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: checkpoint }
          : { ShardIteratorType: spec.startingPosition }),
      }),
    );
    return ShardIterator as string;
  }

  private async pollShard(shardId: string, firstIterator: string): Promise<void> {
    const { client, spec, log, functionName, idlePollMs = 20 } = this.options;
    let iterator: string | undefined = firstIterator;
    while (!this.stopped && iterator) {
      try {
        const page: GetRecordsCommandOutput = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: spec.batchSize }), {
          abortSignal: this.abort.signal,
        });
        iterator = page.NextShardIterator;
        const records = page.Records ?? [];
        if (records.length > 0) await this.deliver(shardId, records);
        else await this.pause(idlePollMs);
      } catch (error) {
        if (this.stopped) return;
        log(`[${functionName}] reading ${shardId} failed, retrying: ${(error as Error).message}`);
        await this.pause(500);
        iterator = await this.initialIterator(shardId).catch(() => iterator);
      }
    }
  }

  /** Delivers records read from a shard; returns once each is processed or sent to the failure destination. */
  private async deliver(shardId: string, records: KinesisRecord[]): Promise<void> {
    const { spec, functionName, checkpoints } = this.options;
    let pending = this.dropExpired(shardId, records);
    let batchSize = spec.batchSize;
    let attempts = 0;
    while (pending.length > 0 && !this.stopped) {
      const batch = pending.slice(0, batchSize);
      const outcome = await this.invoke(shardId, batch);
      if (outcome.kind === 'success') {
        checkpoints.set(functionName, shardId, batch.at(-1)?.SequenceNumber as string);
        pending = pending.slice(batch.length);
        attempts = 0;
        batchSize = spec.batchSize;
        continue;
      }
      let failed = batch;
      if (outcome.kind === 'partial') {
        // Records before the failed one are done; Lambda retries from the failed record.
        if (outcome.failedIndex > 0) {
          checkpoints.set(functionName, shardId, batch[outcome.failedIndex - 1]?.SequenceNumber as string);
        }
        failed = batch.slice(outcome.failedIndex);
        pending = pending.slice(outcome.failedIndex);
      } else if (spec.bisectBatchOnError && batch.length > 1) {
        // Splitting a batch does not count as a retry in Lambda.
        batchSize = Math.ceil(batch.length / 2);
        continue;
      }
      attempts += 1;
      if (attempts > spec.retryAttempts) {
        this.sendToFailureDestination(shardId, failed, 'RetryAttemptsExhausted', attempts, outcome);
        checkpoints.set(functionName, shardId, failed.at(-1)?.SequenceNumber as string);
        pending = pending.slice(failed.length);
        attempts = 0;
        batchSize = spec.batchSize;
        continue;
      }
      await this.pause(Math.min(2000, (this.options.retryBaseDelayMs ?? 100) * 2 ** (attempts - 1)));
    }
  }

  private async invoke(shardId: string, batch: KinesisRecord[]): Promise<BatchOutcome> {
    const { streamArn, region, functionName, spec, invoke, log } = this.options;
    try {
      const response = await invoke(kinesisEvent(batch, { shardId, streamArn, region, functionName }));
      const outcome = readBatchOutcome(
        response,
        batch.map((record) => record.SequenceNumber as string),
        spec.reportBatchItemFailures,
      );
      if (outcome.kind !== 'success') log(`[${functionName}] batch of ${batch.length} in ${shardId}: ${describe(outcome)}`);
      return outcome;
    } catch (error) {
      log(`[${functionName}] batch of ${batch.length} in ${shardId} failed: ${(error as Error).message}`);
      return { kind: 'error', error: (error as Error).message };
    }
  }

  private dropExpired(shardId: string, records: KinesisRecord[]): KinesisRecord[] {
    const oldestAllowed = Date.now() - this.options.spec.maxRecordAgeSeconds * 1000;
    const expired = records.filter((record) => (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) < oldestAllowed);
    if (expired.length === 0) return records;
    this.sendToFailureDestination(shardId, expired, 'RecordAgeExceeded', 0, { kind: 'success' });
    return records.filter((record) => !expired.includes(record));
  }

  private sendToFailureDestination(
    shardId: string,
    records: KinesisRecord[],
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded',
    attempts: number,
    outcome: BatchOutcome,
  ): void {
    const first = records[0] as KinesisRecord;
    const last = records.at(-1) as KinesisRecord;
    this.options.log(`[${this.options.functionName}] ${records.length} record(s) sent to the on-failure destination: ${condition}`);
    this.options.failures.send({
      requestContext: {
        functionArn: `arn:aws:lambda:${this.options.region}:000000000000:function:${this.options.functionName}`,
        condition,
        approximateInvokeCount: attempts,
      },
      responseContext: outcome.kind === 'error' ? { functionError: outcome.error } : {},
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first.SequenceNumber as string,
        endSequenceNumber: last.SequenceNumber as string,
        approximateArrivalOfFirstRecord: (first.ApproximateArrivalTimestamp ?? new Date()).toISOString(),
        approximateArrivalOfLastRecord: (last.ApproximateArrivalTimestamp ?? new Date()).toISOString(),
        batchSize: records.length,
        streamArn: this.options.streamArn,
      },
    });
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }
}

function describe(outcome: BatchOutcome): string {
  if (outcome.kind === 'partial') return `record ${outcome.failedIndex} reported as failed`;
  if (outcome.kind === 'error') return `function error: ${outcome.error}`;
  return 'success';
}
