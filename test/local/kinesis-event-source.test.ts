import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { FUNCTIONS, type StreamConsumerSpec } from '../../contract';
import { CheckpointStore } from '../../local/event-source/checkpoint-store';
import { FailureDestination, type FailedBatch } from '../../local/event-source/failure-destination';
import { FilterPatternError } from '../../local/event-source/event-filter';
import { INVOKE_PAYLOAD_LIMIT_BYTES } from '../../local/event-source/batch-lane';
import { KinesisEventSource } from '../../local/event-source/kinesis-event-source';
import { startLocalKinesis } from '../../local/services/local-kinesis';

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The local event source mapping against a real kinesalite stream, with a test function in place of a Lambda. */

type TestFunction = (texts: string[], event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>;

interface Mapping {
  /** Each invocation's records (data as text), in order. */
  delivered: string[][];
  /** Each invocation's request id, in order. */
  requestIds: string[];
  failures: FailedBatch[];
  /** Records the mapping has read from the shard so far. */
  read(): number;
  put(text: string, key?: string): Promise<string>;
  /** Resolves once `condition` holds (checked after every read and every invocation). */
  until(condition: () => boolean): Promise<void>;
  checkpoint(): string | undefined;
  stop(): Promise<void>;
}

type Entry = string | { text: string; key: string };

/**
 * Starts the mapping on a new stream (TRIM_HORIZON), with `fn` in place of the function; `before` is put on the stream
 * first, so the first read takes all of it.
 */
async function startMapping(fn: TestFunction, spec: Partial<StreamConsumerSpec>, before: readonly Entry[] = []): Promise<Mapping & { lastBefore: string }> {
  const kinesis = await startLocalKinesis({ streamPrefix: 'esm-test' });
  const stream = kinesis.streams.events;
  const put = async (text: string, key = 'room') => {
    const output = await kinesis.client.send(new PutRecordCommand({ StreamName: stream.name, PartitionKey: key, Data: Buffer.from(text) }));
    return output.SequenceNumber as string;
  };
  let lastBefore = '';
  for (const entry of before) {
    const { text, key } = typeof entry === 'string' ? { text: entry, key: 'room' } : entry;
    lastBefore = await put(text, key);
  }
  const delivered: string[][] = [];
  const requestIds: string[] = [];
  const destination = new FailureDestination(undefined);
  const checkpoints = new CheckpointStore(undefined);
  let read = 0;
  const waiters = new Set<() => void>();
  const changed = () => waiters.forEach((check) => check());
  const source = new KinesisEventSource({
    client: kinesis.client,
    streamName: stream.name,
    streamArn: stream.arn,
    region: 'us-east-1',
    functionName: 'test',
    spec: { ...FUNCTIONS.fanout.consumes, startingPosition: 'TRIM_HORIZON', ...spec },
    invoke: async (event, requestId) => {
      const batch = (event as KinesisStreamEvent).Records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString());
      delivered.push(batch);
      requestIds.push(requestId);
      try {
        return await fn(batch, event as KinesisStreamEvent);
      } finally {
        setImmediate(changed);
      }
    },
    checkpoints,
    failures: destination,
    log: () => undefined,
    idlePollMs: 5,
    retryBaseDelayMs: 1,
    onRead: (count) => {
      read += count;
      changed();
    },
  });
  await source.start();
  return {
    delivered,
    requestIds,
    failures: destination.sent,
    lastBefore,
    read: () => read,
    put,
    until: (condition) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!condition()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    checkpoint: () => checkpoints.get('test', 'shardId-000000000000'),
    stop: async () => {
      await source.stop();
      await kinesis.stop();
    },
  };
}

/** Puts `texts` on a new stream, then lets the mapping process all of them; returns each invocation's batch. */
async function runMapping(
  texts: readonly Entry[],
  fn: TestFunction,
  spec: Partial<StreamConsumerSpec>,
): Promise<{ delivered: string[][]; failures: FailedBatch[]; requestIds: string[] }> {
  const mapping = await startMapping(fn, spec, texts);
  // The checkpoint moves after each finished batch (and after filtered-out records are read).
  await mapping.until(() => mapping.checkpoint() === mapping.lastBefore);
  await mapping.stop();
  return { delivered: mapping.delivered, failures: mapping.failures, requestIds: mapping.requestIds };
}

describe('Kinesis event source mapping, with Lambda semantics', () => {
  it('delivers records in order, in batches of at most the batch size', async () => {
    const { delivered } = await runMapping(['a', 'b', 'c', 'd', 'e'], async () => ({ batchItemFailures: [] }), { batchSize: 2 });

    expect(delivered).toStrictEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('retries from the record reported in batchItemFailures, not from the start of the batch', async () => {
    let failedOnce = false;
    const fn: TestFunction = async (texts, event) => {
      const index = texts.indexOf('c');
      if (index < 0 || failedOnce) return { batchItemFailures: [] };
      failedOnce = true;
      return { batchItemFailures: [{ itemIdentifier: event.Records[index]?.kinesis.sequenceNumber as string }] };
    };

    const { delivered, failures } = await runMapping(['a', 'b', 'c', 'd'], fn, { batchSize: 10 });

    expect(delivered).toStrictEqual([['a', 'b', 'c', 'd'], ['c', 'd']]);
    expect(failures).toStrictEqual([]);
  });

  it('bisects a failing batch, then sends only the poison record to the on-failure destination after its retries', async () => {
    const fn: TestFunction = async (texts) => {
      if (texts.includes('poison')) throw new Error('cannot handle poison');
    };

    const { delivered, failures, requestIds } = await runMapping(['a', 'b', 'poison', 'c'], fn, { batchSize: 10, retryAttempts: 2 });

    expect(delivered).toStrictEqual([
      ['a', 'b', 'poison', 'c'],
      ['a', 'b'],
      ['poison', 'c'],
      ['poison'],
      ['poison'],
      ['poison'],
      ['c'],
    ]);
    // Lambda's invocation record, version 1.0: the last invocation's request id, "Unhandled" and no error text.
    expect(failures).toStrictEqual([
      {
        requestContext: {
          requestId: requestIds[5],
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 3,
        },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        timestamp: expect.stringMatching(ISO_TIME),
        KinesisBatchInfo: {
          shardId: 'shardId-000000000000',
          startSequenceNumber: expect.stringMatching(/^\d+$/),
          endSequenceNumber: expect.stringMatching(/^\d+$/),
          approximateArrivalOfFirstRecord: expect.stringMatching(ISO_TIME),
          approximateArrivalOfLastRecord: expect.stringMatching(ISO_TIME),
          batchSize: 1,
          streamArn: expect.stringMatching(/^arn:aws:kinesis:[a-z0-9-]+:\d{12}:stream\/esm-test-events$/),
        },
      },
    ]);
    expect(failures[0]?.KinesisBatchInfo.startSequenceNumber).toBe(failures[0]?.KinesisBatchInfo.endSequenceNumber);
    expect(new Set(requestIds).size).toBe(requestIds.length);
  });

  it('reports a batch whose function answered but kept failing a record without "Unhandled"', async () => {
    const fn: TestFunction = async (texts, event) => {
      const index = texts.indexOf('bad');
      return { batchItemFailures: index < 0 ? [] : [{ itemIdentifier: event.Records[index]?.kinesis.sequenceNumber as string }] };
    };

    const { failures, requestIds } = await runMapping(['ok', 'bad'], fn, { batchSize: 10, retryAttempts: 1 });

    expect(failures.map(({ requestContext, responseContext, KinesisBatchInfo }) => ({ requestContext, responseContext, batchSize: KinesisBatchInfo.batchSize }))).toStrictEqual([
      {
        requestContext: {
          requestId: requestIds.at(-1),
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 2,
        },
        responseContext: { statusCode: 200, executedVersion: '$LATEST' },
        batchSize: 1,
      },
    ]);
  });

  it('treats a batchItemFailures identifier that is not in the batch as a failure of the whole batch', async () => {
    let calls = 0;
    const fn: TestFunction = async () => {
      calls += 1;
      return calls === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] } : { batchItemFailures: [] };
    };

    const { delivered } = await runMapping(['a', 'b'], fn, { batchSize: 10, bisectBatchOnError: false });

    expect(delivered).toStrictEqual([['a', 'b'], ['a', 'b']]);
  });

  it('delivers only records whose JSON data matches a filter pattern, and still moves past the others', async () => {
    const user = JSON.stringify({ frame: { type: 'user', text: 'question' } });
    const typing = JSON.stringify({ frame: { type: 'typing', text: 'dra' } });

    const { delivered } = await runMapping([typing, user, 'not json', typing], async () => undefined, {
      filterPatterns: [{ data: { frame: { type: ['user'] } } }],
    });

    expect(delivered).toStrictEqual([[user]]);
  });

  it('with a parallelization factor, a slow partition key does not hold back the others, and each key stays in order', async () => {
    let releaseSlow: () => void = () => undefined;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    const finished: string[] = [];
    const fn: TestFunction = async (texts) => {
      if (texts.includes('slow-1')) await slowGate;
      finished.push(...texts);
      if (finished.includes('fast-2')) releaseSlow();
    };

    await runMapping(
      [
        { text: 'slow-1', key: 'room-a' },
        { text: 'fast-1', key: 'room-b' },
        { text: 'slow-2', key: 'room-a' },
        { text: 'fast-2', key: 'room-b' },
      ],
      fn,
      { parallelizationFactor: 10, batchSize: 1 },
    );

    expect(finished.indexOf('fast-2')).toBeLessThan(finished.indexOf('slow-1'));
    expect(finished.filter((text) => text.startsWith('slow'))).toStrictEqual(['slow-1', 'slow-2']);
    expect(finished.filter((text) => text.startsWith('fast'))).toStrictEqual(['fast-1', 'fast-2']);
  });
});

describe('MaximumRecordAgeInSeconds', () => {
  it('sends a record older than the maximum age to the on-failure destination instead of invoking, under a fresh request id', async () => {
    // A fake clock: the first invocation takes the clock 61 s past when both records reached the stream.
    const realNow = Date.now.bind(Date);
    let aheadMs = 0;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + aheadMs);
    const fn: TestFunction = async () => {
      aheadMs = 61_000;
    };
    try {
      const { delivered, failures, requestIds } = await runMapping(['fresh', 'aged'], fn, {
        batchSize: 1,
        maxBatchingWindowSeconds: 0,
        maxRecordAgeSeconds: 60,
      });

      expect(delivered).toStrictEqual([['fresh']]);
      expect(failures).toHaveLength(1);
      expect(failures[0]?.requestContext).toStrictEqual({
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
        condition: 'RecordAgeExceeded',
        approximateInvokeCount: 0,
      });
      expect(requestIds).not.toContain(failures[0]?.requestContext.requestId);
      expect(failures[0]?.responseContext).toStrictEqual({ statusCode: 200, executedVersion: '$LATEST' });
      expect(failures[0]?.KinesisBatchInfo.batchSize).toBe(1);
    } finally {
      clock.mockRestore();
    }
  });
});

describe('Kinesis event filters, as Lambda evaluates them', () => {
  it('evaluates prefix, suffix, numeric, exists, anything-but, equals-ignore-case and $or on the data', async () => {
    const records = [
      { type: 'user', room: 'us-east', size: 5 },
      { type: 'user', room: 'eu-west', size: 50 },
      { type: 'typing', room: 'us-west', size: 500 },
      { type: 'USER', room: 'ap', size: 7, tag: 'x' },
      { type: 'system', room: 'lobby.png' },
    ].map((record) => JSON.stringify(record));
    const select = async (pattern: Record<string, unknown>): Promise<number[]> => {
      const { delivered } = await runMapping(records, async () => undefined, { filterPatterns: [{ data: pattern } as never], batchSize: 10 });
      return delivered.flat().map((text) => records.indexOf(text));
    };

    expect(await select({ room: [{ prefix: 'us-' }] })).toStrictEqual([0, 2]);
    expect(await select({ room: [{ suffix: '.png' }] })).toStrictEqual([4]);
    expect(await select({ size: [{ numeric: ['>', 5, '<=', 500] }] })).toStrictEqual([1, 2, 3]);
    expect(await select({ size: [{ numeric: ['=', 5] }] })).toStrictEqual([0]);
    expect(await select({ tag: [{ exists: true }] })).toStrictEqual([3]);
    expect(await select({ size: [{ exists: false }] })).toStrictEqual([4]);
    expect(await select({ type: [{ 'anything-but': ['user', 'typing'] }] })).toStrictEqual([3, 4]);
    expect(await select({ room: [{ 'anything-but': { prefix: 'us-' } }] })).toStrictEqual([1, 3, 4]);
    expect(await select({ type: [{ 'equals-ignore-case': 'user' }] })).toStrictEqual([0, 1, 3]);
    expect(await select({ $or: [{ type: ['typing'] }, { size: [{ numeric: ['<', 6] }] }] })).toStrictEqual([0, 2]);
  });

  it('refuses, when the mapping is created, a pattern on anything but data, an unknown operator or a malformed rule', () => {
    const create = (pattern: unknown) => () =>
      new KinesisEventSource({
        client: undefined as never,
        streamName: 's',
        streamArn: 'arn',
        region: 'us-east-1',
        functionName: 'test',
        spec: { ...FUNCTIONS.fanout.consumes, filterPatterns: [pattern as never] },
        invoke: async () => undefined,
        checkpoints: new CheckpointStore(undefined),
        failures: new FailureDestination(undefined),
        log: () => undefined,
      });

    expect(create({ partitionKey: ['room'] })).toThrow(new FilterPatternError('pattern 0: Kinesis event source mappings filter on "data" only, not "partitionKey"'));
    expect(create({ data: { room: [{ wildcard: 'a*' }] } })).toThrow(new FilterPatternError('pattern 0.data.room[0]: unknown operator "wildcard"'));
    expect(create({ data: { size: [{ numeric: ['>', 'five'] }] } })).toThrow(FilterPatternError);
    expect(create({ data: { room: [] } })).toThrow(new FilterPatternError('pattern 0.data.room is an empty list'));
    expect(create({ data: { room: 'lobby' } })).toThrow(FilterPatternError);
  });
});

describe('MaximumBatchingWindowInSeconds', () => {
  it('holds records back until the batch is full', async () => {
    const mapping = await startMapping(async () => undefined, { batchSize: 3, maxBatchingWindowSeconds: 300 });
    await mapping.put('a');
    await mapping.until(() => mapping.read() === 1);
    await mapping.put('b');
    await mapping.until(() => mapping.read() === 2);
    const heldBeforeFull = mapping.delivered.length;
    await mapping.put('c');
    await mapping.until(() => mapping.delivered.length === 1);
    await mapping.stop();

    expect(heldBeforeFull).toBe(0);
    expect(mapping.delivered).toStrictEqual([['a', 'b', 'c']]);
  });

  it('invokes with a partial batch once the window has elapsed since its first record', async () => {
    const heldMs: number[] = [];
    const fn: TestFunction = async (_, event) => {
      // Kinesis's arrival time comes before the mapping reads the record, so this is at least the time it was held.
      heldMs.push(Date.now() - (event.Records[0]?.kinesis.approximateArrivalTimestamp ?? 0) * 1000);
    };
    const mapping = await startMapping(fn, { batchSize: 100, maxBatchingWindowSeconds: 1 });
    await mapping.put('alone');
    await mapping.until(() => mapping.delivered.length === 1);
    await mapping.stop();

    expect(mapping.delivered).toStrictEqual([['alone']]);
    // A lower bound only, which load can only raise (a timer may fire a few milliseconds early by the wall clock).
    expect(heldMs[0]).toBeGreaterThanOrEqual(990);
  });

  it('invokes as soon as the next record would take the event over the 6 MB payload limit', async () => {
    const mapping = await startMapping(async () => undefined, { batchSize: 100, maxBatchingWindowSeconds: 300 });
    // 1 MB of data is 1.33 MB in the event (base64): four fit in 6 MB, a fifth does not.
    const big = (letter: string) => letter.repeat(1024 * 1024);
    for (const letter of ['a', 'b', 'c', 'd', 'e']) await mapping.put(big(letter));
    await mapping.until(() => mapping.delivered.length === 1);
    await mapping.stop();

    expect(mapping.delivered.map((batch) => batch.map((text) => text[0]))).toStrictEqual([['a', 'b', 'c', 'd']]);
    expect(INVOKE_PAYLOAD_LIMIT_BYTES).toBe(6 * 1024 * 1024);
  });

  it('cuts a batch at the payload limit even with no window', async () => {
    const big = (letter: string) => letter.repeat(1024 * 1024);
    const { delivered } = await runMapping(['a', 'b', 'c', 'd', 'e', 'f'].map(big), async () => undefined, { batchSize: 100 });

    expect(delivered.map((batch) => batch.length)).toStrictEqual([4, 2]);
  });
});
