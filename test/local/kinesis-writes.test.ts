import { GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { CheckpointStore } from '../../local/event-source/checkpoint-store';
import { FailureDestination } from '../../local/event-source/failure-destination';
import { KinesisEventSource } from '../../local/event-source/kinesis-event-source';
import { startLocalKinesis, type LocalKinesis } from '../../local/services/local-kinesis';
import { FUNCTIONS } from '../../contract';

// The local Kinesis counts its successful writes, and the event source waits on them instead of polling an idle shard.

let kinesis: LocalKinesis;
beforeAll(async () => {
  kinesis = await startLocalKinesis({ streamPrefix: 'writes-test' });
});
afterAll(async () => {
  await kinesis.stop();
});

const put = (text: string) =>
  kinesis.client.send(new PutRecordCommand({ StreamName: kinesis.streams.events.name, PartitionKey: 'room', Data: Buffer.from(text) }));

test('PutRecord and PutRecords count once each when they succeed; reads and refused writes do not count', async () => {
  const before = kinesis.writes.count;
  await put('one');
  await kinesis.client.send(
    new PutRecordsCommand({ StreamName: kinesis.streams.events.name, Records: [1, 2].map((n) => ({ PartitionKey: 'room', Data: Buffer.from(`${n}`) })) }),
  );
  const { ShardIterator } = await kinesis.client.send(
    new GetShardIteratorCommand({ StreamName: kinesis.streams.events.name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
  );
  await kinesis.client.send(new GetRecordsCommand({ ShardIterator }));
  await expect(
    kinesis.client.send(new PutRecordCommand({ StreamName: 'no-such-stream', PartitionKey: 'room', Data: Buffer.from('x') })),
  ).rejects.toThrow();
  expect(kinesis.writes.count - before).toBe(2);
});

describe('after(seen)', () => {
  const never = new AbortController().signal;

  test('resolves at once when a write already happened since `seen`', async () => {
    const seen = kinesis.writes.count;
    await put('already');
    await kinesis.writes.after(seen, 60_000, never);
  });

  test('resolves on the next write', async () => {
    const waited = kinesis.writes.after(kinesis.writes.count, 60_000, never);
    await put('next');
    await waited;
  });

  test('resolves on abort, and after its time limit without any write', async () => {
    const abort = new AbortController();
    const aborted = kinesis.writes.after(kinesis.writes.count, 60_000, abort.signal);
    abort.abort();
    await aborted;
    jest.useFakeTimers();
    try {
      const limited = kinesis.writes.after(kinesis.writes.count, 1000, never);
      let done = false;
      void limited.then(() => (done = true));
      await jest.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

test('an idle event source waits for the next write (a second at most), not its idle poll, and then delivers it', async () => {
  const reads: number[] = [];
  const waits: number[] = [];
  const writes = {
    get count() {
      return kinesis.writes.count;
    },
    after: (seen: number, ms: number, signal: AbortSignal) => {
      waits.push(ms);
      wake();
      return kinesis.writes.after(seen, ms, signal);
    },
  };
  const delivered: string[] = [];
  let wake = () => undefined as void;
  const source = new KinesisEventSource({
    client: kinesis.client,
    streamName: kinesis.streams.events.name,
    streamArn: kinesis.streams.events.arn,
    region: 'us-east-1',
    functionName: 'test',
    spec: { ...FUNCTIONS.fanout.consumes, startingPosition: 'LATEST' },
    invoke: async (event) => {
      delivered.push(...(event as { Records: { kinesis: { data: string } }[] }).Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString()));
      wake();
      return {};
    },
    checkpoints: new CheckpointStore(undefined),
    failures: new FailureDestination(undefined),
    log: () => undefined,
    idlePollMs: 1,
    writes,
    onRead: (count) => {
      reads.push(count);
      wake();
    },
  });
  const until = (condition: () => boolean) =>
    new Promise<void>((resolve) => {
      wake = () => {
        if (condition()) resolve();
      };
      wake();
    });
  await source.start();
  await until(() => reads.length >= 1 && waits.length >= 1);
  await put('wakes it');
  await until(() => delivered.length === 1);
  await source.stop();
  expect(delivered).toStrictEqual(['wakes it']);
  expect(new Set(waits)).toStrictEqual(new Set([1000]));
});
