// A page is one person across its connections (its secret key, docs/protocol.md#author-ids), through the real path:
// the local runtime, Chromium pages with their own storage, a model that streams behind the bot. A reload whose old
// connection still lingers keeps the name (no "Ann 2") and tells nobody anything; a rename reads "Ann is now Annie"
// to another page; the asker can stop an answer after the page reconnected; another browser with the name gets "Ann 2".
import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { completionChunk, FakeOpenAiServer, lastMessageOf, sseData } from '../support/fake-openai-server';
import { startLocalChat, type LocalChat } from '../support/local-chat';
import { ChatPage, launchChromium } from './chat-page';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

let llama: FakeOpenAiServer;
let reloaded: () => void;
const afterReload = new Promise<void>((resolve) => (reloaded = resolve));
let chat: LocalChat;
let browser: Browser;
let dynamo: DynamoDBDocumentClient;
const opened: ChatPage[] = [];

async function open(room: string, name: string): Promise<ChatPage> {
  const person = await ChatPage.open(browser, `http://127.0.0.1:${chat.port}/`, { room, name });
  opened.push(person);
  return person;
}

/** The room's lines about people (joined, left, renamed, taken names), in page order. */
const notices = (page: Page) => page.$$eval('#messages > li.notice', (items) => items.map((item) => item.textContent ?? ''));

async function connectionIds(room: string, userId: string): Promise<string[]> {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: chat.dynamoDb.tableNames.connections }));
  return Items.filter((item) => item.room === room && item.userId === userId).map((item) => String(item.connectionId));
}

/** The author id the room gave the person named `name` (the page shows ids nowhere). */
async function idOf(room: string, name: string): Promise<string> {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: chat.dynamoDb.tableNames.connections }));
  const ids = new Set(Items.filter((item) => item.room === room && item.name === name).map((item) => String(item.userId)));
  expect(ids.size).toBe(1);
  return [...ids][0]!;
}

beforeAll(async () => {
  llama = await FakeOpenAiServer.start();
  // An answer that streams its first words and then waits, like a long answer still being written.
  llama.route((body) => lastMessageOf(body).endsWith('write me a long essay'), {
    kind: 'sse',
    writes: [sseData(completionChunk({ role: 'assistant', content: null })), sseData(completionChunk({ content: 'Partial ' }))],
    then: 'hold',
  });
  // One that streams, waits for the test's gate (the asker reloads meanwhile), then goes on and waits again.
  llama.route((body) => lastMessageOf(body).endsWith('write me an essay while I reload'), {
    kind: 'sse',
    writes: [sseData(completionChunk({ role: 'assistant', content: null })), sseData(completionChunk({ content: 'Before ' })), { until: afterReload }, sseData(completionChunk({ content: 'after.' }))],
    then: 'hold',
  });
  [chat, browser] = await Promise.all([
    startLocalChat({ settings: { botTargets: 'llama', llamaUrl: llama.url, llamaModel: 'llama3.2' } }),
    launchChromium(),
  ]);
  dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: chat.dynamoDb.endpoint, region: 'us-east-1', credentials }));
}, 120_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((person) => person.close()));
});

afterAll(async () => {
  dynamo?.destroy();
  await browser?.close();
  await chat?.dispose();
  await llama?.close();
});

test('a reload beside a lingering connection keeps "Ann" and says nothing; a rename reads "Ann is now Annie"; another browser gets "Ann 2"', async () => {
  const ROOM = 'identity-page';
  const ben = await open(ROOM, 'Ben');
  const ann = await open(ROOM, 'Ann');
  await ben.page.locator('#online', { hasText: '2 online' }).waitFor();
  const id = await idOf(ROOM, 'Ann');

  // The reloaded page, in the same browser (same storage, same key), while the old page's connection lingers.
  const reloaded = await ann.context.newPage();
  await reloaded.goto(ann.page.url());
  await reloaded.locator('#connection[data-state="online"]').waitFor();
  await ben.page.locator('#online', { hasText: '3 online' }).waitFor();
  expect(await reloaded.locator('#name').inputValue()).toBe('Ann');
  expect(await connectionIds(ROOM, id)).toHaveLength(2);
  await ann.page.close();
  await ben.page.locator('#online', { hasText: '2 online' }).waitFor();

  await reloaded.locator('#name').fill('Annie');
  await reloaded.locator('#identity button[type="submit"]').click();
  await ben.page.locator('#messages > li.notice', { hasText: 'Ann is now Annie' }).waitFor();
  await ben.page.locator('#online', { hasText: '2 online' }).waitFor();

  // Someone else, in another browser, asking for the name a page of this person still has: "Annie 2".
  const other = await open(ROOM, 'Annie');
  expect(await other.page.locator('#name').inputValue()).toBe('Annie 2');
  await other.page.locator('#messages > li.notice', { hasText: 'Annie was taken; you are Annie 2.' }).waitFor();

  // The rename's new connection may arrive in the batch before its old one leaves, or in the same one: the line
  // says no count, which would briefly count both.
  expect(await notices(ben.page)).toStrictEqual(['Ann joined. 2 online.', 'Ann is now Annie.', 'Annie 2 joined. 3 online.']);
  expect(await notices(reloaded)).toStrictEqual(['Annie 2 joined. 3 online.']);
  expect(await connectionIds(ROOM, id)).toHaveLength(1);
  expect(ben.errors).toStrictEqual([]);
});

test('the asker stops an answer after the page reconnected, and everyone sees it stopped', async () => {
  const ROOM = 'identity-stop';
  const ann = await open(ROOM, 'Ann');
  const ben = await open(ROOM, 'Ben');
  const id = await idOf(ROOM, 'Ann');
  await ann.say('@bot write me a long essay');
  const stop = ann.page.getByRole('button', { name: 'Stop this answer' });
  await stop.waitFor();

  // The network drops Ann's connection; the page reconnects by itself.
  const [old] = await connectionIds(ROOM, id);
  const management = new ApiGatewayManagementApiClient({ endpoint: chat.managementApiUrl, region: 'us-east-1', credentials });
  const reconnected = ann.page.waitForEvent('websocket');
  await management.send(new DeleteConnectionCommand({ ConnectionId: old }));
  management.destroy();
  await reconnected;
  await ann.waitOnline();
  expect(await connectionIds(ROOM, id)).not.toContain(old);

  await stop.click();
  for (const person of [ann, ben]) {
    await person.page.locator('#messages > li.bot .answer-note', { hasText: 'Stopped by Ann.' }).waitFor();
    expect((await person.page.locator('#messages > li.bot .body').innerText()).trim()).toBe('Partial');
  }
  expect(await notices(ann.page)).toStrictEqual(['Ben joined. 2 online.']);
});

test('the asker who reloads mid-answer still gets Stop (the answer names its question by its id) and stops it', async () => {
  const ROOM = 'identity-reload-stop';
  const ann = await open(ROOM, 'Ann');
  const ben = await open(ROOM, 'Ben');
  await ann.say('@bot write me an essay while I reload');
  await ann.page.getByRole('button', { name: 'Stop this answer' }).waitFor();
  await ann.page.reload();
  await ann.waitOnline();
  // The reloaded page saw no start: the next delta alone must bring back who asked, and Stop.
  reloaded();
  const stop = ann.page.getByRole('button', { name: 'Stop this answer' });
  await stop.click();
  for (const person of [ann, ben]) {
    await person.page.locator('#messages > li.bot .answer-note', { hasText: 'Stopped by Ann.' }).waitFor();
  }
  expect(await ben.page.getByRole('button', { name: 'Stop this answer' }).count()).toBe(0);
});

test('a second tab opened without ?name= is the same person under the same name: the room hears nothing', async () => {
  const ROOM = 'identity-second-tab';
  const ben = await open(ROOM, 'Ben');
  const mia = await open(ROOM, 'Mia');
  await ben.page.locator('#online', { hasText: '2 online' }).waitFor();
  const url = new URL(mia.page.url());
  url.searchParams.delete('name');
  const tab = await mia.context.newPage();
  await tab.goto(url.toString());
  await tab.locator('#connection[data-state="online"]').waitFor();
  expect(await tab.locator('#name').inputValue()).toBe('Mia');
  await ben.page.locator('#online', { hasText: '3 online' }).waitFor();
  await tab.close();
  await ben.page.locator('#online', { hasText: '2 online' }).waitFor();
  await ben.page.locator('#online').click();
  expect(await ben.page.locator('#people li').allInnerTexts()).toStrictEqual(['Ben (you)', 'Mia']);
  expect(await notices(ben.page)).toStrictEqual(['Mia joined. 2 online.']);
});
