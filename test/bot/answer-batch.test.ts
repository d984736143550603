import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamRecord } from 'aws-lambda';
import { answerBatch } from '../../lambdas/bot/answer-batch';
import { AnswerBudget, type BudgetLimits } from '../../lambdas/bot/answer-budget';
import { AnswerClaims } from '../../lambdas/bot/answer-claims';
import { answerIdFor } from '../../lambdas/shared/answer-id';
import type { BotDeps } from '../../lambdas/bot/answer-room';
import type { BotConfig } from '../../lambdas/bot/bot-config';
import { NO_RETRIEVAL } from '../../lambdas/bot/context-retriever';
import { OfflineTarget } from '../../lambdas/bot/inference/offline-target';
import type { BusRecord, Sender } from '../../lambdas/shared/bus-event';
import { HistoryStore } from '../../lambdas/shared/history-store';
import { streamMessageId } from '../../lambdas/shared/stream-message-id';
import { readBatchOutcome } from '../../local/event-source/batch-outcome';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../local/services/local-dynamodb';

/**
 * The bot's batches with Lambda's retry semantics (ReportBatchItemFailures: the lane is retried from the lowest
 * reported record, as local/event-source/batch-outcome.ts reads it), against dynalite, with a fixed clock and a bus
 * that records what the bot puts on the stream (and can be told to fail).
 */

let dynamo: LocalDynamoDb;
let client: DynamoDBDocumentClient;
let counter = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb({ tablePrefix: 'answer-batch-test' });
  client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
});

afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});

const T0 = Date.parse('2026-11-22T10:00:05Z');

class RecordingBus {
  public readonly published: BusRecord[] = [];
  public failWhen: ((record: BusRecord) => boolean) | undefined;

  public async publish(record: BusRecord): Promise<string> {
    if (this.failWhen?.(record)) throw new Error('PutRecord failed (ProvisionedThroughputExceededException)');
    this.published.push(record);
    return String(this.published.length);
  }

  public framesOf(room: string): BusRecord['frame'][] {
    return this.published.filter((record) => record.room === room).map((record) => record.frame);
  }
}

function botDeps(bus: RecordingBus, limits: Partial<BudgetLimits> = {}, now = () => T0): BotDeps {
  const budget = { perRoom: 100, overall: 1000, perConnection: 100, perSourceIp: 100, ...limits };
  const config: BotConfig = {
    targets: ['offline'],
    bedrockModelId: 'unused',
    llama: { baseUrl: '', model: '', apiKeySecret: '', apiKey: '', proxyUrl: '' },
    systemPrompt: 'You answer in a public chat room.',
    maxOutputTokens: 600,
    deltaWindowMs: 0,
    deltaMaxChars: 400,
    firstTokenTimeoutMs: 5000,
    offlineDelayMs: 0,
    answersPerRoomPerMinute: budget.perRoom,
    answersPerMinute: budget.overall,
    answersPerConnectionPerMinute: budget.perConnection,
    answersPerSourceIpPerMinute: budget.perSourceIp,
    timeoutMs: 300_000,
  };
  return {
    config,
    targets: [new OfflineTarget({ delayMs: 0 })],
    history: new HistoryStore({ tableName: dynamo.tableNames.messages, client }),
    bus,
    budget: new AnswerBudget(budget, dynamo.tableNames.botBudget, client),
    claims: new AnswerClaims(dynamo.tableNames.botAnswers, client),
    retriever: NO_RETRIEVAL,
    now,
  };
}

/** A person's message as the message function puts it, read back as Lambda delivers it. */
function questionRecord(room: string, text: string, sender?: Sender): KinesisStreamRecord {
  counter += 1;
  const record: BusRecord = {
    v: 1,
    room,
    frame: { type: 'user', room, author: { id: `u-${sender?.connectionId ?? 'anon'}`, name: 'Someone' }, text, ts: T0 },
    ...(sender ? { sender } : {}),
  };
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: room,
      sequenceNumber: String((BigInt(counter) << 80n) | 0x2abcn),
      data: Buffer.from(JSON.stringify(record)).toString('base64'),
      approximateArrivalTimestamp: T0 / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${counter}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/bot',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
  };
}

const idOf = (record: KinesisStreamRecord) => streamMessageId(record.kinesis.approximateArrivalTimestamp, record.kinesis.sequenceNumber);
const states = (frames: BusRecord['frame'][]) => frames.flatMap((frame) => (frame.type === 'ai' && frame.state !== 'delta' ? [`${frame.state} ${frame.id}`] : []));

/** What Lambda delivers next after this response: the batch from its lowest reported record, or nothing. */
function retryOf(batch: KinesisStreamRecord[], response: unknown): KinesisStreamRecord[] {
  const outcome = readBatchOutcome(response, batch.map((record) => record.kinesis.sequenceNumber), true);
  return outcome.kind === 'partial' ? batch.slice(outcome.failedIndex) : [];
}

it('retries a failed room without answering again the rooms after it, and closes its cut answer under the same id', async () => {
  const bus = new RecordingBus();
  const batch = [questionRecord('ra', 'first room?'), questionRecord('rb', 'failing room?'), questionRecord('rc', 'later room?')];
  const [a, b, c] = batch.map(idOf) as [string, string, string];
  // Room rb's answer starts, then the stream refuses its next record.
  bus.failWhen = (record) => record.room === 'rb' && record.frame.type === 'ai' && record.frame.state !== 'start';

  const firstResponse = await answerBatch(batch, botDeps(bus));
  const retry = retryOf(batch, firstResponse);
  bus.failWhen = undefined;
  const retryResponse = await answerBatch(retry, botDeps(bus));

  expect(retry.map(idOf)).toStrictEqual([b, c]);
  expect(retryResponse).toStrictEqual({ batchItemFailures: [] });
  expect(states(bus.framesOf('ra'))).toStrictEqual([`start ${answerIdFor(a)}`, `end ${answerIdFor(a)}`]);
  expect(states(bus.framesOf('rc'))).toStrictEqual([`start ${answerIdFor(c)}`, `end ${answerIdFor(c)}`]);
  expect(bus.framesOf('rb')).toStrictEqual([
    expect.objectContaining({ type: 'ai', state: 'start', id: answerIdFor(b), replyTo: b }),
    {
      type: 'ai',
      state: 'error',
      id: answerIdFor(b),
      room: 'rb',
      replyTo: b,
      code: 'interrupted',
      message: 'The bot could not finish this answer.',
      text: '',
      ts: T0,
    },
  ]);

  // A third delivery of the same records (another retry) changes nothing.
  const before = bus.published.length;
  await answerBatch(batch, botDeps(bus));
  expect(bus.published.length).toBe(before);
});

it('closes an answer left open past the function timeout once, whoever looks first, and leaves a live one alone', async () => {
  const bus = new RecordingBus();
  const claims = new AnswerClaims(dynamo.tableNames.botAnswers, client);
  const question = idOf(questionRecord('rd', 'abandoned?'));
  const live = idOf(questionRecord('re', 'still streaming?'));
  await claims.claim('rd', [question], answerIdFor(question), 'u-asker', T0);
  await claims.claim('re', [live], answerIdFor(live), 'u-asker', T0 + 200_000);
  const later = T0 + 300_000 + 60_001;

  await Promise.all([answerBatch([], botDeps(bus, {}, () => later)), answerBatch([], botDeps(bus, {}, () => later))]);

  expect(bus.published).toStrictEqual([
    {
      v: 1,
      room: 'rd',
      frame: expect.objectContaining({ type: 'ai', state: 'error', id: answerIdFor(question), replyTo: question, code: 'interrupted' }),
    },
  ]);
  expect((await claims.read([question, live])).get(question)?.state).toBe('failed');
  expect((await claims.read([live])).get(live)?.state).toBe('claimed');
});

it('lets one person asking in 12 rooms take only their own share, and tells them alone', async () => {
  const bus = new RecordingBus();
  const pat = { connectionId: 'c-pat', sourceIp: '203.0.113.9' };
  const deps = botDeps(bus, { overall: 60, perRoom: 100, perConnection: 100, perSourceIp: 10 });
  const patRooms = Array.from({ length: 12 }, (_, i) => `pat-${i}`);

  // 96 messages: eight rounds of one in each of Pat's rooms (each from a connection of Pat's, all from one address).
  for (let round = 0; round < 8; round += 1) {
    const batch = patRooms.map((room) => questionRecord(room, `round ${round}?`, { ...pat, connectionId: `c-pat-${room}` }));
    expect(await answerBatch(batch, deps)).toStrictEqual({ batchItemFailures: [] });
  }
  const quinnAsks = questionRecord('quinn-room', 'my turn?', { connectionId: 'c-quinn', sourceIp: '198.51.100.4' });
  await answerBatch([quinnAsks], deps);

  const ends = bus.published.filter(({ frame }) => frame.type === 'ai' && frame.state === 'end');
  const notices = bus.published.filter(({ frame }) => frame.type === 'system');
  expect(ends.filter(({ room }) => room.startsWith('pat-'))).toHaveLength(10);
  expect(ends.filter(({ room }) => room === 'quinn-room')).toHaveLength(1);
  // One notice per connection of Pat's that was refused (once a minute each), to that connection only.
  expect(notices.length).toBeGreaterThanOrEqual(1);
  for (const notice of notices) {
    expect(notice).toStrictEqual({
      v: 1,
      room: expect.stringMatching(/^pat-/),
      frame: {
        type: 'system',
        room: notice.room,
        event: 'notice',
        text: 'The bot answers at most 10 messages a minute from your network address; it will answer you again in a moment.',
        online: 0,
      },
      only: `c-pat-${notice.room}`,
    });
  }
});

it('claims a question only once the budget lets the bot answer it: a failure in between leaves no cut answer to close', async () => {
  const bus = new RecordingBus();
  const deps = botDeps(bus, { perRoom: 0 });
  let failures = 1;
  const budget = new Proxy(deps.budget, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (property !== 'take' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        if (failures-- > 0) throw new Error('DynamoDB is unavailable');
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  const batch = [questionRecord('declining-room', 'is anyone there?')];

  const first = await answerBatch(batch, { ...deps, budget });
  const retry = retryOf(batch, first);
  expect(retry).toHaveLength(1);
  await answerBatch(retry, { ...deps, budget });

  // The bot is off in this room: the question is declined, and nothing answers or "closes" an answer that never began.
  expect(states(bus.framesOf('declining-room'))).toStrictEqual([]);
  expect((await deps.claims.read([idOf(batch[0] as KinesisStreamRecord)])).get(idOf(batch[0] as KinesisStreamRecord))?.state).toBe('declined');
});
