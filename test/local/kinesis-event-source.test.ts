import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { FUNCTIONS, type StreamConsumerSpec } from '../../contract';
import { CheckpointStore } from '../../local/event-source/checkpoint-store';
import { FailureDestination, type FailedBatch } from '../../local/event-source/failure-destination';
import { KinesisEventSource } from '../../local/event-source/kinesis-event-source';
import { startLocalKinesis } from '../../local/services/local-kinesis';

/** The local event source mapping against a real kinesalite stream, with a test function in place of a Lambda. */

type TestFunction = (texts: string[], event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>;

/** Puts `texts` on a new stream, then lets the mapping process all of them; returns each invocation's batch. */
async function runMapping(
  texts: (string | { text: string; key: string })[],
  fn: TestFunction,
  spec: Partial<StreamConsumerSpec>,
): Promise<{ delivered: string[][]; failures: FailedBatch[] }> {
  const kinesis = await startLocalKinesis({ streamPrefix: 'esm-test' });
  const stream = kinesis.streams.events;
  let lastSequenceNumber = '';
  for (const entry of texts) {
    const { text, key } = typeof entry === 'string' ? { text: entry, key: 'room' } : entry;
    const put = await kinesis.client.send(
      new PutRecordCommand({ StreamName: stream.name, PartitionKey: key, Data: Buffer.from(text) }),
    );
    lastSequenceNumber = put.SequenceNumber as string;
  }
  const delivered: string[][] = [];
  const destination = new FailureDestination(undefined);
  const checkpoints = new CheckpointStore(undefined);
  const source = new KinesisEventSource({
    client: kinesis.client,
    streamName: stream.name,
    streamArn: stream.arn,
    region: 'us-east-1',
    functionName: 'test',
    spec: { ...FUNCTIONS.fanout.consumes, startingPosition: 'TRIM_HORIZON', ...spec },
    invoke: async (event) => {
      const batch = (event as KinesisStreamEvent).Records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString());
      delivered.push(batch);
      return fn(batch, event as KinesisStreamEvent);
    },
    checkpoints,
    failures: destination,
    log: () => undefined,
    idlePollMs: 5,
    retryBaseDelayMs: 1,
  });
  await source.start();
  const deadline = Date.now() + 10_000;
  while (checkpoints.get('test', 'shardId-000000000000') !== lastSequenceNumber && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await source.stop();
  await kinesis.stop();
  return { delivered, failures: destination.sent };
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

    const { delivered, failures } = await runMapping(['a', 'b', 'poison', 'c'], fn, { batchSize: 10, retryAttempts: 2 });

    expect(delivered).toStrictEqual([
      ['a', 'b', 'poison', 'c'],
      ['a', 'b'],
      ['poison', 'c'],
      ['poison'],
      ['poison'],
      ['poison'],
      ['c'],
    ]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      responseContext: { functionError: 'cannot handle poison' },
      KinesisBatchInfo: { shardId: 'shardId-000000000000', batchSize: 1 },
    });
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
