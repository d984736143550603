// Restarting the local runtime under two open pages: both reconnect by themselves, and what was said meanwhile (by a
// terminal user) shows up once in each page: none lost, none doubled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page, WebSocket } from 'playwright-core';
import { ChatClient, userMessage } from '../support/chat-client';
import { QUICK_OFFLINE_BOT, startLocalChat, type LocalChat } from '../support/local-chat';
import { ChatPage, launchChromium } from './chat-page';

let dataDir: string;
let chat: LocalChat | undefined;
let browser: Browser;
/** The pages of the running test; each test opens its own two, in its own room, so none depends on another. */
let ann: ChatPage | undefined;
let ben: ChatPage | undefined;

/**
 * Forgets the room's connections in the connections table, leaving the sockets open. Works around the local
 * runtime's shutdown order: it closes its HTTP server (and so the @connections API) before its stream consumers stop,
 * so a presence `leave` that one page's disconnect causes cannot be posted to the other page, and fanout retries it
 * for about a minute before stop() returns. With no members on record, the `leave` has no one to go to.
 */
async function forgetConnections(runtime: LocalChat): Promise<void> {
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: runtime.dynamoDb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
  const table = runtime.dynamoDb.tableNames.connections;
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: table }));
  await Promise.all(Items.map((item) => dynamo.send(new DeleteCommand({ TableName: table, Key: { connectionId: item.connectionId } }))));
  dynamo.destroy();
}

/** How long a page gives a connection it still believes in to answer a probe once the network is back. */
const NETWORK_BACK_ANSWER_MS = 5_000;

// Each test restarts the runtime under two pages, which reconnect with backoff: on a loaded 2-core machine that
// takes longer than the default 60 s (a limit on waiting, not an assertion about speed).
jest.setTimeout(150_000);

/** The page's WebSockets, in the order it opened them. */
const socketsOf = new WeakMap<Page, WebSocket[]>();

/**
 * Ann and Ben, online in `room` (starting the runtime again if an earlier test left it stopped). Each page runs on
 * Playwright's clock (time flows as usual until a test moves it on), and its WebSockets are recorded.
 */
async function openPages(room: string): Promise<[ChatPage, ChatPage]> {
  chat ??= await startLocalChat({ dataDir, settings: QUICK_OFFLINE_BOT });
  const pageUrl = `http://127.0.0.1:${chat!.port}/`;
  const beforeLoad = async (page: Page) => {
    const sockets: WebSocket[] = [];
    socketsOf.set(page, sockets);
    page.on('websocket', (socket) => sockets.push(socket));
    await page.clock.install();
  };
  ann = await ChatPage.open(browser, pageUrl, { room, name: 'Ann', beforeLoad });
  ben = await ChatPage.open(browser, pageUrl, { room, name: 'Ben', beforeLoad });
  return [ann, ben];
}

/**
 * Brings the page's network back. A page that never saw its connection drop (the server went while it was offline)
 * probes that connection and replaces it only when nothing answers for 5 s (NETWORK_BACK_ANSWER_MS in
 * web/src/chat-connection.ts): once the probe went out, the page's clock is moved past that limit instead of waiting
 * for it. A page that saw the drop opens a new connection at once.
 */
async function networkBack(person: ChatPage): Promise<void> {
  const sockets = socketsOf.get(person.page)!;
  const current = sockets.at(-1)!;
  const isProbe = (payload: string | Buffer) => /"action":"history","limit":1\b/.test(payload.toString());
  const outcome = Promise.race([
    new Promise<'probed'>((resolve) => current.on('framesent', ({ payload }) => isProbe(payload) && resolve('probed'))),
    person.page.waitForEvent('websocket').then(() => 'reconnected' as const),
  ]);
  await person.context.setOffline(false);
  if ((await outcome) === 'probed') await person.page.clock.runFor(NETWORK_BACK_ANSWER_MS);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'chat-browser-restart-'));
  [chat, browser] = await Promise.all([startLocalChat({ dataDir, settings: QUICK_OFFLINE_BOT }), launchChromium()]);
});

afterEach(async () => {
  // The local bot answers every message: let it finish before the pages (and later the runtime's stores) close.
  await Promise.all([ann, ben].map((person) => person?.waitForAnswersDone().catch(() => undefined)));
  await Promise.all([ann, ben].map((person) => person?.close()));
  ann = ben = undefined;
});

afterAll(async () => {
  await browser?.close();
  await chat?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

test('both pages reconnect after a restart and show a message sent meanwhile exactly once', async () => {
  const ROOM = 'browser-restart';
  const [ann, ben] = await openPages(ROOM);
  await ann.say('before the restart');
  await Promise.all([ann, ben].map((person) => person.waitForMessage('before the restart')));
  // The local bot answers every message; let it finish before its stores close.
  await Promise.all([ann, ben].map((person) => person.waitForAnswersDone()));
  const port = chat!.port;

  await forgetConnections(chat!);
  const stopping = chat!.dispose();
  for (const person of [ann, ben]) {
    await person.page.locator('#connection[data-state="reconnecting"]').waitFor();
    expect(await person.page.locator('#send').isDisabled()).toBe(true);
  }
  // The pages' first retry comes 1-2 s after the server went away; until the old runtime is fully stopped, their
  // attempts must not reach it (it would accept them while stopping, with the same stuck fanout as above).
  await Promise.all([ann, ben].map((person) => person.context.setOffline(true)));
  await stopping;
  chat = undefined;

  chat = await startLocalChat({ dataDir, port, settings: QUICK_OFFLINE_BOT });
  // Someone in a terminal says something while the pages are away; their own copy proves it was accepted.
  const { client: terminal } = await ChatClient.join(chat.webSocketUrl, { room: ROOM, name: 'Terminal' });
  terminal.send({ action: 'sendMessage', text: 'sent while you were away' });
  await terminal.next(userMessage('sent while you were away'));
  await terminal.close();
  await Promise.all([ann, ben].map((person) => person.context.setOffline(false)));

  await Promise.all([ann, ben].map((person) => person.waitOnline()));
  await Promise.all([ann, ben].map((person) => person.waitForMessage('sent while you were away')));
  await ben.say('after the restart');
  await Promise.all([ann, ben].map((person) => person.waitForMessage('after the restart')));

  for (const person of [ann, ben]) {
    expect(await person.userMessages()).toStrictEqual([
      ['Ann', 'before the restart'],
      ['Terminal', 'sent while you were away'],
      ['Ben', 'after the restart'],
    ]);
    const ids = await person.ids();
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toStrictEqual(ids);
    expect(person.errors).toStrictEqual([]);
  }
});

test('after the network comes back, a gap longer than the welcome history is filled: in order, no holes, no doubles', async () => {
  const ROOM = 'browser-gap';
  const [ann, ben] = await openPages(ROOM);
  await ann.say('before the gap');
  await Promise.all([ann, ben].map((person) => person.waitForMessage('before the gap')));
  await Promise.all([ann, ben].map((person) => person.waitForAnswersDone()));
  const before = await ann.userMessages();
  expect(before).toStrictEqual([['Ann', 'before the gap']]);
  // Both people lose the network, and the server restarts meanwhile: a page may not even see its connection close.
  await Promise.all([ann, ben].map((person) => person.context.setOffline(true)));
  const port = chat!.port;
  await forgetConnections(chat!);
  await chat!.dispose();
  chat = undefined;
  // Chatty sends 60 messages as fast as they are echoed: over the per-connection message rate on a fast machine.
  chat = await startLocalChat({ dataDir, port, settings: { ...QUICK_OFFLINE_BOT, messageRatePerSecond: '1000', messageBurst: '10000' } });

  // 60 messages while they are away, sent at once; the welcome holds the newest 50. Separate invocations may take
  // them in any order: the room's order is that of their ids.
  const said = Array.from({ length: 60 }, (_, index) => `missed message ${index + 1}`);
  const { client } = await ChatClient.join(chat.webSocketUrl, { room: ROOM, name: 'Chatty' });
  for (const text of said) client.send({ action: 'sendMessage', text });
  const echoes = await Promise.all(said.map((text) => client.next(userMessage(text))));
  await client.close();
  const inRoomOrder = echoes.sort((a, b) => String(a.id).localeCompare(String(b.id))).map((frame) => String(frame.text));

  await Promise.all([ann, ben].map((person) => networkBack(person)));
  await Promise.all([ann, ben].map((person) => person.waitForMessage(inRoomOrder[0])));
  await Promise.all([ann, ben].map((person) => person.waitForMessage(inRoomOrder[59])));

  for (const person of [ann, ben]) {
    expect(await person.userMessages()).toStrictEqual([...before, ...inRoomOrder.map((text): [string, string] => ['Chatty', text])]);
    const ids = await person.ids();
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toStrictEqual(ids);
  }
});
