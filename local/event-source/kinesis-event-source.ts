import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type GetRecordsCommandOutput,
  type _Record as KinesisRecord,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamConsumerSpec } from '../../contract';
import type { KinesisWrites } from '../services/kinesis-writes';
import { readBatchOutcome, type BatchOutcome } from './batch-outcome';
import { BatchLane } from './batch-lane';
import type { CheckpointStore } from './checkpoint-store';
import { compileFilters } from './event-filter';
import type { FailedBatch, FailureDestination } from './failure-destination';
import { kinesisEvent } from './kinesis-event';
import { laneOf } from './lane-of';
import { ShardProgress } from './shard-progress';

export interface KinesisEventSourceOptions {
  client: KinesisClient;
  streamName: string;
  streamArn: string;
  region: string;
  functionName: string;
  spec: StreamConsumerSpec;
  /**
   * Invokes the function; `requestId` becomes its `context.awsRequestId`, and `lane` names the shard's lane (its
   * ParallelizationFactor slot) the batch comes from.
   */
  invoke: (event: unknown, requestId: string, lane: string) => Promise<unknown>;
  checkpoints: CheckpointStore;
  failures: FailureDestination;
  log: (line: string) => void;
  /** Pause between reads of an idle shard (without `writes`); enhanced fan-out pushes within about 70 ms in AWS. @default 20 */
  idlePollMs?: number;
  /**
   * The local Kinesis's successful writes: an idle shard is read again `idlePollMs` after its last read once a record
   * was written since (or after IDLE_SHARD_READ_MS at the latest), instead of every `idlePollMs`.
   */
  writes?: Pick<KinesisWrites, 'count' | 'after'>;
  /** First retry delay; doubles per attempt. @default 100 */
  retryBaseDelayMs?: number;
  /** Told how many records each read of a shard returned (tests wait on it instead of sleeping). */
  onRead?: (records: number) => void;
}

/** With `writes`, an idle shard is still read once a second (Lambda's polling rate for a shard without enhanced fan-out). */
const IDLE_SHARD_READ_MS = 1000;

/** Records read ahead of the slowest lane, at most, per batch-size unit. */
const READ_AHEAD_BATCHES = 10;

/**
 * A Lambda event source mapping for a Kinesis stream: reads each shard in order, drops records its filters reject,
 * and hands the rest to ParallelizationFactor lanes (by partition key), which invoke the function with Lambda's
 * batch semantics (see BatchLane). Progress is checkpointed so a restart resumes after the last finished record.
 */
export class KinesisEventSource {
  private readonly abort = new AbortController();
  private readonly readers: Promise<void>[] = [];
  private readonly passesFilters: (record: KinesisRecord) => boolean;
  private readonly recordBytes = new WeakMap<KinesisRecord, number>();

  /** Throws FilterPatternError for a filter pattern Lambda would refuse, before anything is read. */
  public constructor(private readonly options: KinesisEventSourceOptions) {
    this.passesFilters = compileFilters(options.spec.filterPatterns);
  }

  public async start(): Promise<void> {
    const { client, streamName } = this.options;
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
    for (const shard of Shards) {
      const shardId = shard.ShardId as string;
      const iterator = await this.initialIterator(shardId);
      this.readers.push(this.readShard(shardId, iterator));
    }
  }

  /** Stops reading; a batch being processed is abandoned unfinished and redelivered after the next start. */
  public async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.readers);
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

  private async readShard(shardId: string, firstIterator: string): Promise<void> {
    const { client, spec, log, functionName, checkpoints, idlePollMs = 20 } = this.options;
    const progress = new ShardProgress((sequenceNumber) => checkpoints.set(functionName, shardId, sequenceNumber));
    const lanes = Array.from({ length: spec.parallelizationFactor }, (_, index) => this.newLane(shardId, index, progress));
    let iterator: string | undefined = firstIterator;
    while (!this.stopped && iterator) {
      if (progress.inFlight >= spec.batchSize * READ_AHEAD_BATCHES) {
        await this.pause(idlePollMs);
        continue;
      }
      const writesBefore = this.options.writes?.count;
      try {
        const page: GetRecordsCommandOutput = await client.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: spec.batchSize }),
          { abortSignal: this.abort.signal },
        );
        iterator = page.NextShardIterator;
        const records = page.Records ?? [];
        for (const record of records) {
          const sequenceNumber = record.SequenceNumber as string;
          progress.add(sequenceNumber);
          if (!this.passesFilters(record)) progress.complete(sequenceNumber);
          else lanes[laneOf(record.PartitionKey ?? '', lanes.length)]?.push(record);
        }
        this.options.onRead?.(records.length);
        if (records.length === 0) await this.idle(idlePollMs, writesBefore);
      } catch (error) {
        if (this.stopped) return;
        log(`[${functionName}] reading ${shardId} failed, retrying: ${(error as Error).message}`);
        await this.pause(500);
        iterator = await this.initialIterator(shardId).catch(() => iterator);
      }
    }
  }

  private newLane(shardId: string, index: number, progress: ShardProgress): BatchLane {
    return new BatchLane({
      spec: this.options.spec,
      progress,
      invoke: (batch) => this.invoke(shardId, `${shardId}#${index}`, batch),
      sendToFailureDestination: (records, condition, attempts, outcome) =>
        this.sendToFailureDestination(shardId, records, condition, attempts, outcome),
      pause: (ms) => this.pause(ms),
      stopped: () => this.stopped,
      retryBaseDelayMs: this.options.retryBaseDelayMs ?? 100,
      recordBytes: (record) => this.bytesOf(shardId, record),
    });
  }

  private bytesOf(shardId: string, record: KinesisRecord): number {
    let bytes = this.recordBytes.get(record);
    if (bytes === undefined) {
      const [entry] = kinesisEvent([record], { ...this.options, shardId }).Records;
      bytes = Buffer.byteLength(JSON.stringify(entry));
      this.recordBytes.set(record, bytes);
    }
    return bytes;
  }

  private async invoke(shardId: string, lane: string, batch: KinesisRecord[]): Promise<BatchOutcome> {
    const { streamArn, region, functionName, spec, invoke, log } = this.options;
    const requestId = randomUUID();
    try {
      const response = await invoke(kinesisEvent(batch, { shardId, streamArn, region, functionName }), requestId, lane);
      const outcome = readBatchOutcome(
        response,
        batch.map((record) => record.SequenceNumber as string),
        spec.reportBatchItemFailures,
      );
      if (outcome.kind !== 'success') log(`[${functionName}] batch of ${batch.length} in ${shardId} (${requestId}): ${describe(outcome)}`);
      return { ...outcome, requestId };
    } catch (error) {
      log(`[${functionName}] batch of ${batch.length} in ${shardId} (${requestId}) failed: ${(error as Error).message}`);
      return { kind: 'error', error: (error as Error).message, functionError: true, requestId };
    }
  }

  private sendToFailureDestination(
    shardId: string,
    records: KinesisRecord[],
    condition: FailedBatch['requestContext']['condition'],
    attempts: number,
    outcome: BatchOutcome,
  ): void {
    const { functionName, region, streamArn, failures, log } = this.options;
    const first = records[0] as KinesisRecord;
    const last = records.at(-1) as KinesisRecord;
    log(`[${functionName}] ${records.length} record(s) sent to the on-failure destination: ${condition}`);
    failures.send({
      requestContext: {
        requestId: outcome.requestId ?? randomUUID(),
        functionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
        condition,
        approximateInvokeCount: attempts,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(outcome.kind === 'error' && outcome.functionError ? { functionError: 'Unhandled' as const } : {}),
      },
      version: '1.0',
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first.SequenceNumber as string,
        endSequenceNumber: last.SequenceNumber as string,
        approximateArrivalOfFirstRecord: (first.ApproximateArrivalTimestamp ?? new Date()).toISOString(),
        approximateArrivalOfLastRecord: (last.ApproximateArrivalTimestamp ?? new Date()).toISOString(),
        batchSize: records.length,
        streamArn,
      },
    });
  }

  /**
   * After a read that found nothing: `pollMs`, as a poller would wait, and with `writes` also until a write since
   * `writesBefore` (one during the read counts): the reads a poller would make of an idle shard, minus those that
   * could only find nothing. Batches form as they did with polling alone.
   */
  private async idle(pollMs: number, writesBefore: number | undefined): Promise<void> {
    const { writes } = this.options;
    const poll = this.pause(pollMs);
    if (writes && writesBefore !== undefined) await writes.after(writesBefore, IDLE_SHARD_READ_MS, this.abort.signal);
    await poll;
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
