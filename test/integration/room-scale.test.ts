import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { FUNCTIONS } from '../../contract';
import type { BusRecord } from '../../lambdas/shared/bus-event';
import { laneOf } from '../../local/event-source/lane-of';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/local-credentials';
import { ChatClient, userMessage, type Frame } from '../support/chat-client';
import { startLocalChat, type LocalChat } from '../support/local-chat';

/** Issue 8: a public room at public-room size. Through the local runtime with real WebSocket clients. */

let chat: LocalChat;
const clients: ChatClient[] = [];

beforeAll(async () => {
  // The bot stays silent; a burst of 30 lets tests send 20 messages back to back, at 1 a second sustained. Retries
  // start at 1 s (then 2 s, at most 5 times), so a held room stays held long enough on a loaded machine.
  chat = await startLocalChat({
    settings: { botAnswersPerRoomPerMinute: '0', messageBurst: '30', messageRatePerSecond: '1' },
    retryBaseDelayMs: 1000,
  });
});

afterEach(async () => {
  chat.managementFaults.clear('*');
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await chat.dispose();
});

async function join(room: string, name: string) {
  const joined = await ChatClient.join(chat.webSocketUrl, { room, name });
  clients.push(joined.client);
  return joined;
}

async function connectionIdOf(name: string): Promise<string> {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: chat.dynamoDb.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: chat.dynamoDb.tableNames.connections }));
  return String(Items.find((item) => item.name === name)?.connectionId);
}

/** Puts records in one PutRecords call, as producers would: they land together, so fanout reads them as one batch. */
async function putTogether(records: BusRecord[]): Promise<void> {
  const kinesis = new KinesisClient({ endpoint: chat.kinesis.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler: new NodeHttpHandler() });
  await kinesis.send(
    new PutRecordsCommand({
      StreamName: chat.kinesis.streamNames.events,
      Records: records.map((record) => ({ PartitionKey: record.room, Data: Buffer.from(JSON.stringify(record)) })),
    }),
  );
  kinesis.destroy();
}

/** Bounds a hang on a loaded machine; asserts nothing about speed. */
const PATIENCE_MS = 45_000;

const texts = (frames: Frame[]) => frames.filter((frame) => frame.type === 'user').map((frame) => frame.text);

it('sends each member one WebSocket message per batch: every message, the newest draft of each typist, one presence', async () => {
  const { client: bob } = await join('envelope', 'Bob');
  const author = { id: 'u-zed', name: 'Zed' };
  const user = (text: string): BusRecord => ({ v: 1, room: 'envelope', frame: { type: 'user', room: 'envelope', author, text, ts: 1 } });
  const draft = (text: string): BusRecord => ({ v: 1, room: 'envelope', frame: { type: 'typing', room: 'envelope', author, text, ts: 1 }, exclude: 'c-zed' });
  const member = (event: 'join' | 'leave', name: string): BusRecord => ({
    v: 1,
    room: 'envelope',
    frame: { type: 'member', room: 'envelope', event, member: { connectionId: `c-${name}`, userId: `u-${name}`, name, connectedAt: 1 } },
  });
  const before = bob.messages.length;

  await putTogether([draft('h'), user('one'), draft('he'), member('join', 'Yan'), user('two'), draft('hey'), member('leave', 'Xi'), user('three')]);
  await bob.next(userMessage('three'), PATIENCE_MS);
  await putTogether([user('barrier')]);
  await bob.next(userMessage('barrier'), PATIENCE_MS);

  // The silent bot's notice (its budget is zero) is its own record, so its own message.
  const received = bob.messages.slice(before).filter((message) => message.type !== 'system');
  expect(received).toHaveLength(2);
  expect(received[0]).toStrictEqual({
    type: 'batch',
    frames: [
      { type: 'user', id: expect.any(String), room: 'envelope', author, text: 'one', ts: 1 },
      // Yan never connected, so the online count is Bob alone; Xi's leave is announced as given.
      { type: 'presence', room: 'envelope', joined: [{ id: 'u-Yan', name: 'Yan' }], left: [{ id: 'u-Xi', name: 'Xi' }], online: 2 },
      { type: 'user', id: expect.any(String), room: 'envelope', author, text: 'two', ts: 1 },
      { type: 'typing', room: 'envelope', author, text: 'hey', ts: 1 },
      { type: 'user', id: expect.any(String), room: 'envelope', author, text: 'three', ts: 1 },
    ],
  });
  expect(received[1]).toMatchObject({ type: 'user', text: 'barrier' });
});

it('stores messages in the order the room saw them live: 20 sent back to back, then history', async () => {
  const { client: ann } = await join('live-order', 'Ann');
  const { client: bob } = await join('live-order', 'Bob');
  const sent = Array.from({ length: 20 }, (_, i) => `m${i}`);

  for (const text of sent) ann.send({ action: 'sendMessage', text, clientMsgId: text });
  await Promise.all([ann.next(userMessage('m19'), PATIENCE_MS), bob.next(userMessage('m19'), PATIENCE_MS)]);
  for (const text of sent) await bob.next(userMessage(text), PATIENCE_MS);
  bob.send({ action: 'history', limit: 20 });
  const history = await bob.next((frame) => frame.type === 'history', PATIENCE_MS);

  const live = bob.frames.filter((frame) => frame.type === 'user');
  expect(live).toHaveLength(20);
  expect(ann.frames.filter((frame) => frame.type === 'user')).toStrictEqual(live);
  expect(history.messages).toStrictEqual(live);
  expect([...live.map((frame) => frame.id)].sort()).toStrictEqual(live.map((frame) => frame.id));
});

it('answers a connection that sends too fast with rate_limited and retryAfterMs; what it admits reaches the room', async () => {
  const { client: ann } = await join('limits', 'Ann');
  const { client: bob } = await join('limits', 'Bob');
  const sent = Array.from({ length: 40 }, (_, i) => `flood ${i}`);

  for (const text of sent) ann.send({ action: 'sendMessage', text, clientMsgId: text });
  const outcomes = await Promise.all(
    sent.map((text) => ann.next((frame) => frame.clientMsgId === text && (frame.type === 'user' || frame.type === 'error'), PATIENCE_MS)),
  );
  const refused = outcomes.filter((frame) => frame.type === 'error');
  const admitted = outcomes.filter((frame) => frame.type === 'user').map((frame) => String(frame.text));
  for (const text of admitted) await bob.next(userMessage(text), PATIENCE_MS);

  // 40 against a burst of 30 (plus one a second while they are sent): some are refused, each exactly once.
  expect(refused.length).toBeGreaterThan(0);
  expect(admitted.length).toBeGreaterThanOrEqual(30);
  for (const error of refused) {
    expect(error).toStrictEqual({
      type: 'error',
      code: 'rate_limited',
      message: expect.stringMatching(/^Too many messages; this one was not sent\. Try again in \d+ ms\.$/),
      action: 'sendMessage',
      clientMsgId: expect.any(String),
      retryAfterMs: expect.any(Number),
    });
    expect(Number.isInteger(error.retryAfterMs) && (error.retryAfterMs as number) > 0).toBe(true);
  }
  // Back-to-back sends race to the stream through concurrent Lambdas, so the room's order is the stream's, not the send order.
  expect([...texts(bob.frames)].sort()).toStrictEqual([...admitted].sort());
  expect(bob.ofType('error')).toStrictEqual([]);
});

it('keeps room B flowing while room A is held: its posts fail and are retried with a flood queued behind', async () => {
  const lanes = FUNCTIONS.fanout.consumes.parallelizationFactor;
  const roomA = 'held-a';
  const roomB = ['flow-b', 'flow-c', 'flow-d', 'flow-e'].find((room) => laneOf(room, lanes) !== laneOf(roomA, lanes)) ?? 'flow-b';
  const { client: ann } = await join(roomA, 'Ann');
  const { client: amy } = await join(roomA, 'Amy');
  const { client: bob } = await join(roomB, 'Bob');
  const { client: ben } = await join(roomB, 'Ben');
  chat.managementFaults.failPostsTo(await connectionIdOf('Amy'));
  const flood = Array.from({ length: 20 }, (_, i) => `a ${i}`);

  for (const text of flood) ann.send({ action: 'sendMessage', text });
  await ann.next(userMessage('a 0'), PATIENCE_MS);
  bob.send({ action: 'sendMessage', text: 'b flows' });
  await ben.next(userMessage('b flows'), PATIENCE_MS);
  // Hold room A through one more attempt (Ann, whose posts work, gets its records again) before releasing it.
  const copiesAtAnn = () => ann.frames.filter(userMessage('a 0')).length;
  const attemptsSeen = copiesAtAnn();
  await ann.next((frame) => userMessage('a 0')(frame) && copiesAtAnn() > attemptsSeen, PATIENCE_MS);
  const amyBeforeRelease = texts(amy.frames);
  chat.managementFaults.clear(await connectionIdOf('Amy'));
  for (const text of flood) await Promise.all([amy.next(userMessage(text), PATIENCE_MS), ann.next(userMessage(text), PATIENCE_MS)]);
  bob.send({ action: 'sendMessage', text: 'b barrier' });
  await ben.next(userMessage('b barrier'), PATIENCE_MS);

  expect(amyBeforeRelease).toStrictEqual([]);
  // Ann got retried records again; each copy carries the same id, so a client keeps one, in stream order.
  const annCopies = ann.frames.filter((frame) => frame.type === 'user');
  const streamOrder = [...new Set(annCopies.map((frame) => `${String(frame.id)} ${String(frame.text)}`))];
  expect(streamOrder).toHaveLength(20);
  expect(amy.frames.filter((frame) => frame.type === 'user').map((frame) => `${String(frame.id)} ${String(frame.text)}`)).toStrictEqual(streamOrder);
  expect([...texts(amy.frames)].sort()).toStrictEqual([...flood].sort());
  // Room B's record was never part of room A's retries: in its own lane, it was delivered once.
  expect(texts(ben.frames)).toStrictEqual(['b flows', 'b barrier']);
  expect(chat.failures.sent).toStrictEqual([]);
});
