import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { startLocalWebSocketApp, type LocalWebSocketApp } from '../../local/app/start-local-web-socket-app';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/local-credentials';
import { ECHO_APP, ECHO_TABLE } from '../fixtures/echo-app/app';
import { WAIT_LIMIT_MS } from '../support/wait-limit';

/**
 * A second app, not the chat, on the local runtime: three handlers written as AWS's WebSocket chat tutorial writes
 * them (test/fixtures/echo-app), no `$default`, a DynamoDB table of connection ids, @connections through the SDK v3
 * client at `https://{domainName}/{stage}`, and a 410 GoneException for a client that vanished.
 */
let app: LocalWebSocketApp;
let dataDir: string;
let documents: DynamoDBDocumentClient;
const logs: string[] = [];
const clients: WebSocket[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'echo-app-test-'));
  app = await startLocalWebSocketApp(ECHO_APP, { port: 0, dataDir, log: (line) => logs.push(line) });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: app.dynamoDb.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
});

afterAll(async () => {
  for (const client of clients) client.terminate();
  documents?.destroy();
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A connected client whose text messages are kept in order. */
async function connect(): Promise<{ socket: WebSocket; received: string[]; next(): Promise<string> }> {
  const socket = new WebSocket(`${app.webSocketUrl}/dev`);
  clients.push(socket);
  const received: string[] = [];
  socket.on('message', (data: Buffer) => received.push(data.toString('utf8')));
  await once(socket, 'open');
  let read = 0;
  return {
    socket,
    received,
    next: async () => {
      const deadline = AbortSignal.timeout(WAIT_LIMIT_MS);
      while (received.length <= read) {
        await once(socket, 'message', { signal: deadline }).catch(() => {
          throw new Error(`No message within ${WAIT_LIMIT_MS} ms; got ${JSON.stringify(received)}; logs: ${logs.join('\n')}`);
        });
      }
      return received[read++] as string;
    },
  };
}

async function storedConnectionIds(): Promise<string[]> {
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: ECHO_TABLE }));
  return Items.map((item) => item.connectionId as string).sort();
}

/** Polls what the app stored until `check` holds (the handler's last write follows the frames clients get). */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await sleep(20);
  }
}

test('runs an app given as routes and handlers: two clients get each other messages, a vanished one is removed after its 410', async () => {
  expect(app.managementApiUrl).toBe(`http://127.0.0.1:${app.port}/dev`);
  const ann = await connect();
  const bob = await connect();
  // $connect stored both, through the DynamoDB endpoint the runtime gave the function.
  const [annId, bobId] = app.openConnectionIds();
  expect(await storedConnectionIds()).toEqual([annId, bobId].sort());

  ann.socket.send(JSON.stringify({ action: 'sendmessage', message: 'hello from Ann' }));
  expect(await bob.next()).toBe('hello from Ann');
  expect(await ann.next()).toBe('hello from Ann');
  bob.socket.send(JSON.stringify({ action: 'sendmessage', message: 'hello from Bob' }));
  expect(await ann.next()).toBe('hello from Bob');
  expect(await bob.next()).toBe('hello from Bob');

  // A client whose connection dropped without a close frame, and whose $disconnect was lost (API Gateway delivers it
  // on a best-effort basis): its id stays in the table until a post to it answers 410.
  const cid = await connect();
  const cidId = app.openConnectionIds().find((id) => id !== annId && id !== bobId) as string;
  cid.socket.terminate();
  await until(storedConnectionIds, (ids) => !ids.includes(cidId));
  await documents.send(new PutCommand({ TableName: ECHO_TABLE, Item: { connectionId: cidId } }));
  expect(await storedConnectionIds()).toEqual([annId, bobId, cidId].sort());
  const goneBefore = app.managementStats().gone;

  ann.socket.send(JSON.stringify({ action: 'sendmessage', message: 'anyone there?' }));
  expect(await bob.next()).toBe('anyone there?');
  expect(await ann.next()).toBe('anyone there?');
  expect(await until(storedConnectionIds, (ids) => !ids.includes(cidId))).toEqual([annId, bobId].sort());
  expect(app.managementStats().gone - goneBefore).toBe(1);
  expect(cid.received).toEqual([]);
  expect(logs.filter((line) => /failed|error/i.test(line))).toEqual([]);
});
