import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError } from '../../local/data-dir-lock';
import { ChatClient, presence, userMessage, type Frame } from '../support/chat-client';
import { SPINE_ONLY, startLocalChat, type LocalChat } from '../support/local-chat';

function documentClient(chat: LocalChat): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: chat.dynamoDb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
}

describe('a connection that vanished without closing', () => {
  let chat: LocalChat;

  beforeAll(async () => {
    chat = await startLocalChat(SPINE_ONLY);
  });

  afterAll(async () => {
    await chat.dispose();
  });

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
    const annStillThere = await dynamo.send(new GetCommand({ TableName: table, Key: { connectionId: await connectionIdOf(chat, 'Ann') } }));

    expect(atBob).toStrictEqual(atAnn);
    expect(leave).toStrictEqual({ type: 'presence', room: 'ghosts', joined: [], left: [{ id: 'u-ghost', name: 'Ghost' }], online: 2 });
    expect(stored.Item).toBeUndefined();
    expect(annStillThere.Item?.name).toBe('Ann');
    await Promise.all([ann.close(), bob.close()]);
  });
});

describe('restarting the local runtime', () => {
  it('keeps room history', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chat-restart-'));
    const first = await startLocalChat({ ...SPINE_ONLY, dataDir });
    const { client: ann } = await ChatClient.join(first.webSocketUrl, { room: 'durable', name: 'Ann' });
    ann.send({ action: 'sendMessage', text: 'before the restart' });
    await ann.next(userMessage('before the restart'));
    await first.stop();

    const second = await startLocalChat({ ...SPINE_ONLY, dataDir });
    const { client: bob, welcome } = await ChatClient.join(second.webSocketUrl, { room: 'durable', name: 'Bob' });
    bob.send({ action: 'sendMessage', text: 'after the restart' });
    await bob.next(userMessage('after the restart'));
    bob.send({ action: 'history' });
    const history = await bob.next((frame) => frame.type === 'history');

    expect((welcome.history as Frame[]).map((message) => message.text)).toStrictEqual(['before the restart']);
    expect((history.messages as Frame[]).map((message) => message.text)).toStrictEqual(['before the restart', 'after the restart']);
    await bob.close();
    await second.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts empty when asked to start fresh', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chat-fresh-'));
    const first = await startLocalChat({ ...SPINE_ONLY, dataDir });
    const { client } = await ChatClient.join(first.webSocketUrl, { room: 'fresh' });
    client.send({ action: 'sendMessage', text: 'forget me' });
    await client.next(userMessage('forget me'));
    await first.stop();

    const second = await startLocalChat({ ...SPINE_ONLY, dataDir, fresh: true });
    const { client: again, welcome } = await ChatClient.join(second.webSocketUrl, { room: 'fresh' });

    expect(welcome.history).toStrictEqual([]);
    await again.close();
    await second.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('a second local runtime on the same data folder', () => {
  it('is refused with a clear error while the first runs, and allowed once it stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chat-lock-'));
    const first = await startLocalChat({ ...SPINE_ONLY, dataDir });

    const refused = await startLocalChat({ ...SPINE_ONLY, dataDir }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    await first.stop();
    const second = await startLocalChat({ ...SPINE_ONLY, dataDir });

    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect(refused?.message).toContain('is in use by another local runtime');
    await second.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
});

async function connectionIdOf(chat: LocalChat, name: string): Promise<string> {
  const { Items = [] } = await documentClient(chat).send(new ScanCommand({ TableName: chat.dynamoDb.tableNames.connections }));
  return String(Items.find((item) => item.name === name)?.connectionId);
}
