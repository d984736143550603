import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GONE_GRACE_MS } from '../../lambdas/fanout/remove-gone';
import { DataDirInUseError } from '../../local/data-dir-lock';
import type { ManagementFaultKind } from '../../local/gateway/management-faults';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/local-credentials';
import { ChatClient, presence, userMessage, type Frame } from '../support/chat-client';
import { QUICK_OFFLINE_BOT, SPINE_ONLY, startLocalChat, type LocalChat } from '../support/local-chat';

function documentClient(chat: LocalChat): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: chat.dynamoDb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
}

/**
 * Runtime after runtime on one data folder. A start costs seconds, so the three stories of the folder share their runs
 * instead of starting two runtimes each; the tests run in order, each from the runtime the one before left running.
 */
describe('one data folder, runtime after runtime', () => {
  let dataDir: string;
  let running: LocalChat;

  /** Stops the running runtime and starts another on the same folder (allowed only once the first stopped). */
  async function restart(options: { fresh?: boolean } = {}): Promise<LocalChat> {
    await running.stop();
    running = await startLocalChat({ ...SPINE_ONLY, dataDir, ...options });
    return running;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chat-restart-'));
    running = await startLocalChat({ ...SPINE_ONLY, dataDir });
  });

  afterAll(async () => {
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second local runtime on the same data folder with a clear error while the first runs', async () => {
    const refused = await startLocalChat({ ...SPINE_ONLY, dataDir }).then(
      async (second) => void (await second.stop()),
      (error: unknown) => error as Error,
    );

    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect(refused?.message).toContain('is in use by another local runtime');
  });

  it('allows a new runtime on the folder once the first stopped, and it keeps room history', async () => {
    const { client: ann } = await ChatClient.join(running.webSocketUrl, { room: 'durable', name: 'Ann' });
    ann.send({ action: 'sendMessage', text: 'before the restart' });
    await ann.next(userMessage('before the restart'));

    const second = await restart();
    const { client: bob, welcome } = await ChatClient.join(second.webSocketUrl, { room: 'durable', name: 'Bob' });
    bob.send({ action: 'sendMessage', text: 'after the restart' });
    await bob.next(userMessage('after the restart'));
    bob.send({ action: 'history' });
    const history = await bob.next((frame) => frame.type === 'history');

    expect((welcome.history as Frame[]).map((message) => message.text)).toStrictEqual(['before the restart']);
    expect((history.messages as Frame[]).map((message) => message.text)).toStrictEqual(['before the restart', 'after the restart']);
    await bob.close();
  });

  it('starts empty when asked to start fresh', async () => {
    const { client } = await ChatClient.join(running.webSocketUrl, { room: 'fresh' });
    client.send({ action: 'sendMessage', text: 'forget me' });
    await client.next(userMessage('forget me'));

    const fresh = await restart({ fresh: true });
    const { client: again, welcome } = await ChatClient.join(fresh.webSocketUrl, { room: 'fresh' });

    expect(welcome.history).toStrictEqual([]);
    await again.close();
  });
});

/** Every frame of one answer a client received, in order. */
const framesOfAnswer = (frames: readonly Frame[], id: unknown) => frames.filter((frame) => frame.type === 'ai' && frame.id === id);

async function memberId(chat: LocalChat, room: string, name: string): Promise<string> {
  const { Items = [] } = await documentClient(chat).send(new ScanCommand({ TableName: chat.dynamoDb.tableNames.connections }));
  const item = Items.find((candidate) => candidate.room === room && candidate.name === name);
  if (!item) throw new Error(`${name} is not in ${room}`);
  return String(item.connectionId);
}

/** Sends `text` from `from` and waits until every client got it: everything the room was sent before has arrived. */
async function barrier(from: ChatClient, everyone: readonly ChatClient[], text: string): Promise<void> {
  from.send({ action: 'sendMessage', text });
  await Promise.all(everyone.map((client) => client.next(userMessage(text))));
}

const userTexts = (client: ChatClient) => client.frames.filter((frame) => frame.type === 'user').map((frame) => frame.text);

/**
 * One runtime for every test below: the chat spine's faults, a vanished connection and the bot's faults. Each test
 * uses rooms of its own, and nothing in the spine's tests asks the bot (its event source sees only questions to it),
 * so the bot being on changes nothing there; the faults are cleared after each test.
 */
describe('on one runtime with fault injection', () => {
  let chat: LocalChat;

  beforeAll(async () => {
    chat = await startLocalChat({ faultInjection: true, settings: QUICK_OFFLINE_BOT });
  });

  afterEach(() => {
    chat.faults.connections.clear('*');
    chat.faults.kinesis.clear();
    chat.faults.functions.clear();
  });

  afterAll(async () => {
    await chat.dispose();
  });

  describe('a connection that vanished without closing', () => {
    it('is removed by fanout on 410 GoneException, announced as gone, and the others still get every message', async () => {
      const { client: ann } = await ChatClient.join(chat.webSocketUrl, { room: 'ghosts', name: 'Ann' });
      const { client: bob } = await ChatClient.join(chat.webSocketUrl, { room: 'ghosts', name: 'Bob' });
      // A connection API Gateway no longer knows (its client's network died and $disconnect never came), registered a
      // minute ago. Sorted first in the room, so delivery to it is attempted before the living.
      const dynamo = documentClient(chat);
      const table = chat.dynamoDb.tableNames.connections;
      const ghost = { connectionId: '0000ghostAAAAA=', room: 'ghosts', userId: 'u-ghost', name: 'Ghost', connectedAt: Date.now() - 60_000 };
      await dynamo.send(new PutCommand({ TableName: table, Item: ghost }));

      ann.send({ action: 'sendMessage', text: 'anyone there?' });
      const [atAnn, atBob] = await Promise.all([ann.next(userMessage('anyone there?')), bob.next(userMessage('anyone there?'))]);
      const leave = await bob.next(presence('left', 'Ghost'));
      const stored = await dynamo.send(new GetCommand({ TableName: table, Key: { connectionId: ghost.connectionId } }));
      const annStillThere = await dynamo.send(new GetCommand({ TableName: table, Key: { connectionId: await memberId(chat, 'ghosts', 'Ann') } }));

      expect(atBob).toStrictEqual(atAnn);
      expect(leave).toStrictEqual({ type: 'presence', room: 'ghosts', joined: [], left: [{ id: 'u-ghost', name: 'Ghost' }], online: 2 });
      expect(stored.Item).toBeUndefined();
      expect(annStillThere.Item?.name).toBe('Ann');
      await Promise.all([ann.close(), bob.close()]);
    });
  });

  describe('injected faults, through the real path (the chat spine)', () => {
    it.each([
      ['internal', 500, 'InternalServerErrorException'],
      ['throttled', 429, 'LimitExceededException'],
      ['gone', 410, 'GoneException'],
    ] as const)('@connections answers an injected %s as API Gateway does (%i), so the SDK raises %s', async (kind, status, name) => {
      const { client: ann } = await ChatClient.join(chat.webSocketUrl, { room: `shape-${kind}`, name: 'Ann' });
      const id = await memberId(chat, `shape-${kind}`, 'Ann');
      chat.faults.connections.failPostsTo(id, kind as ManagementFaultKind, { times: 1 });
      const api = new ApiGatewayManagementApiClient({ endpoint: chat.managementApiUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

      const error = await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('{}') })).then(
        () => undefined,
        (failure: unknown) => failure as Error & { $metadata: { httpStatusCode?: number } },
      );
      await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('{"type":"after"}') }));

      expect([error?.name, error?.$metadata.httpStatusCode]).toStrictEqual([name, status]);
      await ann.next((frame) => frame.type === 'after');
      api.destroy();
      await ann.close();
    });

    it.each(['internal', 'throttled'] as const)(
      'fanout retries a room whose post answered %s past the SDK retries: that member gets the message once, the others again under the same id',
      async (kind) => {
        const room = `retry-${kind}`;
        const { client: ann } = await ChatClient.join(chat.webSocketUrl, { room, name: 'Ann' });
        const { client: bob } = await ChatClient.join(chat.webSocketUrl, { room, name: 'Bob' });
        const bobId = await memberId(chat, room, 'Bob');
        // Everything before delivered first (the arrivals), so the fault meets the next message only. Nothing here asks
        // the bot, so nothing else reaches the room.
        await barrier(ann, [ann, bob], 'ready');
        // The SDK tries a post 3 times: 3 failures fail the invocation's post, and fanout reports the room for a retry.
        chat.faults.connections.failPostsTo(bobId, kind, { times: 3 });

        ann.send({ action: 'sendMessage', text: 'held once' });
        await bob.next(userMessage('held once'));
        await barrier(ann, [ann, bob], 'after');
        const atAnn = ann.frames.filter(userMessage('held once'));

        expect(chat.faults.connections.injectedFor(bobId)).toBe(3);
        expect(userTexts(bob)).toStrictEqual(['ready', 'held once', 'after']);
        // Ann's post worked the first time; the room's retry sends it again: at least once, dropped by id.
        expect(atAnn).toHaveLength(2);
        expect(atAnn[1]).toStrictEqual(atAnn[0]);
        expect(bob.frames.find(userMessage('held once'))).toStrictEqual(atAnn[0]);
        expect(chat.failures.sent).toStrictEqual([]);
        await Promise.all([ann.close(), bob.close()]);
      },
    );

    it(`keeps a connection that answers 410 within ${GONE_GRACE_MS / 1000} s of connecting, and removes and announces it once older`, async () => {
      const room = 'grace';
      const { client: ann } = await ChatClient.join(chat.webSocketUrl, { room, name: 'Ann' });
      const { client: bob } = await ChatClient.join(chat.webSocketUrl, { room, name: 'Bob' });
      const bobId = await memberId(chat, room, 'Bob');
      const table = chat.dynamoDb.tableNames.connections;
      await barrier(ann, [ann, bob], 'ready');
      // Until cleared, API Gateway says Bob's connection is gone, as it does while a $connect has not returned yet.
      chat.faults.connections.failPostsTo(bobId, 'gone');

      await barrier(ann, [ann], 'while young');
      const young = await documentClient(chat).send(new GetCommand({ TableName: table, Key: { connectionId: bobId } }));
      const leftWhileYoung = ann.frames.filter(presence('left', 'Bob'));
      // The grace is counted from the connection's connectedAt: age it past the grace instead of waiting.
      await documentClient(chat).send(
        new UpdateCommand({ TableName: table, Key: { connectionId: bobId }, UpdateExpression: 'SET connectedAt = :old', ExpressionAttributeValues: { ':old': Date.now() - GONE_GRACE_MS - 1000 } }),
      );
      await barrier(ann, [ann], 'once old');
      const left = await ann.next(presence('left', 'Bob'));
      const old = await documentClient(chat).send(new GetCommand({ TableName: table, Key: { connectionId: bobId } }));

      expect(young.Item?.name).toBe('Bob');
      expect(leftWhileYoung).toStrictEqual([]);
      expect(left).toMatchObject({ type: 'presence', room, joined: [], left: [{ name: 'Bob' }], online: 1 });
      expect(old.Item).toBeUndefined();
      expect(userTexts(bob)).toStrictEqual(['ready']);
      await Promise.all([ann.close(), bob.close()]);
    });

    it('answers unavailable, with the clientMsgId, when PutRecord fails past the SDK retries; nobody else sees anything, and the resend is delivered once', async () => {
      const room = 'no-stream';
      const { client: ann } = await ChatClient.join(chat.webSocketUrl, { room, name: 'Ann' });
      const { client: bob } = await ChatClient.join(chat.webSocketUrl, { room, name: 'Bob' });
      chat.faults.kinesis.failPutRecords({ kind: 'throttled', functions: ['message'] });

      ann.send({ action: 'sendMessage', text: 'try me', clientMsgId: 'm-1' });
      const refused = await ann.next((frame) => frame.type === 'error');
      chat.faults.kinesis.clear();
      ann.send({ action: 'sendMessage', text: 'try me', clientMsgId: 'm-1' });
      // One message at a time, as the page sends: two frames in flight from one connection may be published in either
      // order (they run in two execution environments at once, locally as on AWS).
      await ann.next(userMessage('try me'));
      await barrier(ann, [ann, bob], 'after');

      expect(refused).toStrictEqual({
        type: 'error',
        code: 'unavailable',
        message: 'The server could not process sendMessage right now; nothing was done. Please try again.',
        action: 'sendMessage',
        clientMsgId: 'm-1',
      });
      expect(userTexts(bob)).toStrictEqual(['try me', 'after']);
      expect(userTexts(ann)).toStrictEqual(['try me', 'after']);
      await Promise.all([ann.close(), bob.close()]);
    });

    it('accepts a message whose PutRecord was throttled or failed fewer times than the SDK tries', async () => {
      const room = 'blip';
      const { client: ann } = await ChatClient.join(chat.webSocketUrl, { room, name: 'Ann' });
      chat.faults.kinesis.failPutRecords({ kind: 'throttled', functions: ['message'], times: 1 });
      chat.faults.kinesis.failPutRecords({ kind: 'internal', functions: ['message'], times: 1 });

      await barrier(ann, [ann], 'despite two failures');

      expect(chat.faults.kinesis.injected).toBe(2);
      expect(ann.ofType('error')).toStrictEqual([]);
      expect(userTexts(ann)).toStrictEqual(['despite two failures']);
      await ann.close();
    });

    it('a message function that times out delivers nothing; the sender is told the integration failed, and the next message goes through', async () => {
      const room = 'slow';
      const { client: ann } = await ChatClient.join(chat.webSocketUrl, { room, name: 'Ann' });
      const { client: bob } = await ChatClient.join(chat.webSocketUrl, { room, name: 'Bob' });
      // The handler hangs on its PutRecord, so it is still running when its (imposed) timeout comes.
      chat.faults.kinesis.failPutRecords({ kind: 'hang', functions: ['message'] });
      chat.faults.functions.timeOutNext('message', 500);

      ann.send({ action: 'sendMessage', text: 'lost in time' });
      const failed = await ann.next((frame) => frame.type === undefined && typeof frame.message === 'string');
      chat.faults.kinesis.clear();
      await barrier(ann, [ann, bob], 'on time');

      expect(Object.keys(failed).sort()).toStrictEqual(['connectionId', 'message', 'requestId']);
      expect(userTexts(bob)).toStrictEqual(['on time']);
      expect(userTexts(ann)).toStrictEqual(['on time']);
      await Promise.all([ann.close(), bob.close()]);
    });
  });

  describe('injected faults, through the real path (the bot)', () => {
    /** Asks in `room` and resolves with every frame of the answer once it ended (end or error). */
    async function ask(room: string, text: string): Promise<{ answer: Frame[]; ann: ChatClient }> {
      const { client: ann } = await ChatClient.join(chat.webSocketUrl, { room, name: 'Ann' });
      ann.send({ action: 'sendMessage', text });
      const question = await ann.next(userMessage(text));
      const ending = await ann.next((frame) => frame.type === 'ai' && frame.replyTo === question.id && ['end', 'error'].includes(String(frame.state)));
      await barrier(ann, [ann], 'after the answer');
      return { answer: framesOfAnswer(ann.frames, ending.id), ann };
    }

    it("ends an answer whose end could not be published with an error under its own id, once, after the bot's retry", async () => {
      chat.faults.kinesis.failPutRecords({ kind: 'internal', functions: ['bot'], when: (data) => data.includes('"state":"end"'), times: 3 });

      const { answer, ann } = await ask('bot-publish', '@bot what is a shard?');
      const states = answer.map((frame) => frame.state);

      expect(states[0]).toBe('start');
      expect(states.filter((state) => state === 'end')).toStrictEqual([]);
      expect(answer.filter((frame) => frame.state === 'error')).toStrictEqual([
        expect.objectContaining({ code: 'interrupted', message: 'The bot could not finish this answer.' }),
      ]);
      expect(states.at(-1)).toBe('error');
      await ann.close();
    });

    it('loses nothing of an answer whose publishes failed fewer times than the SDK tries', async () => {
      chat.faults.kinesis.failPutRecords({ kind: 'throttled', functions: ['bot'], when: (data) => data.includes('"state":"delta"'), times: 2 });
      chat.faults.kinesis.failPutRecords({ kind: 'internal', functions: ['bot'], when: (data) => data.includes('"state":"end"'), times: 2 });

      const { answer, ann } = await ask('bot-blip', '@bot still there?');
      const end = answer.at(-1) as Frame;
      const deltas = answer.filter((frame) => frame.state === 'delta');

      expect(chat.faults.kinesis.injected).toBe(4);
      expect(answer.map((frame) => frame.state).filter((state) => state !== 'delta')).toStrictEqual(['start', 'end']);
      expect(deltas.map((frame) => frame.text).join('')).toBe(end.text);
      // Fanout may merge consecutive deltas (seq..seqEnd); together they cover 1..n with no gap and no repeat.
      expect(deltas.map((frame) => [frame.seq, frame.seqEnd ?? frame.seq])).toStrictEqual(
        deltas.map((_, i) => [i === 0 ? 1 : Number(deltas[i - 1]?.seqEnd ?? deltas[i - 1]?.seq) + 1, expect.any(Number)]),
      );
      await ann.close();
    });

    it('ends an answer cut by a bot timeout with one error under its own id, and answers the question only once', async () => {
      // The bot hangs publishing its first delta, and its (imposed) timeout comes the moment it hangs there: it cuts the
      // answer while it streams, by an event rather than after a delay long enough to get there.
      chat.faults.kinesis.failPutRecords({ kind: 'hang', functions: ['bot'], when: (data) => data.includes('"state":"delta"') });
      chat.faults.functions.timeOutNext('bot', chat.faults.kinesis.whenHeld());

      const { answer, ann } = await ask('bot-timeout', '@bot are you there?');

      expect(answer.filter((frame) => frame.state === 'end')).toStrictEqual([]);
      expect(answer.filter((frame) => frame.state === 'error')).toStrictEqual([
        expect.objectContaining({ code: 'interrupted', message: 'The bot could not finish this answer.', text: '' }),
      ]);
      expect(new Set(ann.frames.filter((frame) => frame.type === 'ai' && frame.state === 'start').map((frame) => frame.id)).size).toBeLessThanOrEqual(1);
      await ann.close();
    });
  });
});
