// axe-core (from npm, run in the page as served) finds nothing in the page's main states, on a desktop and a 390x844
// phone, light and dark: an empty room, drafts, own and others' messages with quotes and code, a name error, and
// reconnecting. The streaming and answered states are audited in answers.test.ts. Also: right-to-left text laid out
// right to left, and the length warning said once.
import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { QUICK_OFFLINE_BOT, startLocalChat, type LocalChat } from '../support/local-chat';
import { axeViolations } from './axe';
import { ChatPage, launchChromium, type OpenOptions } from './chat-page';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const PHONE = { width: 390, height: 844 };

let chat: LocalChat;
let browser: Browser;
const opened: ChatPage[] = [];

async function open(options: OpenOptions): Promise<ChatPage> {
  const person = await ChatPage.open(browser, `http://127.0.0.1:${chat.port}/`, options);
  opened.push(person);
  return person;
}

async function expectNoAxeViolations(...pages: Page[]): Promise<void> {
  for (const page of pages) expect(await axeViolations(page)).toStrictEqual([]);
}

/** The lines the page gave its screen-reader live region. */
const announced = (page: Page) => page.$$eval('#announcer > *', (lines) => lines.map((line) => line.textContent ?? ''));

beforeAll(async () => {
  [chat, browser] = await Promise.all([startLocalChat({ settings: QUICK_OFFLINE_BOT }), launchChromium()]);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((person) => person.close()));
});

afterAll(async () => {
  await browser?.close();
  await chat?.dispose();
});

test('an empty room: desktop light, phone dark', async () => {
  const desktop = await open({ room: 'a11y-empty', name: 'Ann' });
  const phone = await open({ room: 'a11y-empty-phone', name: 'Ann', viewport: PHONE, colorScheme: 'dark' });
  await expectNoAxeViolations(desktop.page, phone.page);
});

test('drafts and messages (own and others\', quotes, code, right-to-left) in light and dark, on a desktop and a phone', async () => {
  const ann = await open({ room: 'a11y-talk', name: 'Ann' });
  const ben = await open({ room: 'a11y-talk', name: 'בן', viewport: PHONE, colorScheme: 'dark' });

  const quoted = '> a quote in my own bubble\n\nand `code`:\n\n```\nconst veryLongLineThatScrollsOnAPhone = "a".repeat(80) + "b".repeat(80);\n```';
  await ann.input.fill(quoted);
  await ann.input.press('Enter');
  await ben.page.locator('#messages > li.message.other', { hasText: 'a quote in my own bubble' }).waitFor();
  const arabic = 'مرحبا، كيف حالك؟';
  await ben.input.fill(`> ${arabic}\n\n${arabic}`);
  await ben.input.press('Enter');
  await ann.page.locator('#messages > li.message.other', { hasText: arabic }).waitFor();
  await ben.page.locator('#messages > li.message.own:not(.pending)', { hasText: arabic }).waitFor();
  await ann.page.locator('#messages > li.message.own:not(.pending)', { hasText: 'a quote in my own bubble' }).waitFor();
  await ann.input.pressSequentially('typing in the open');
  await ben.input.pressSequentially('שלום');
  await ben.page.locator('#drafts .draft', { hasText: 'typing in the open' }).waitFor();
  await ann.page.locator('#drafts .draft', { hasText: 'שלום' }).waitFor();

  await expectNoAxeViolations(ann.page, ben.page);

  // Right-to-left text is laid out right to left; a name keeps its own direction beside the others' words.
  for (const person of [ann, ben]) {
    const layout = await person.page.evaluate((text) => {
      const item = Array.from(document.querySelectorAll<HTMLElement>('#messages > li.message')).find((li) => li.querySelector('.body')?.textContent?.includes(text))!;
      return {
        body: getComputedStyle(item.querySelector('.body')!).direction,
        authorIsolated: item.querySelector('.author')?.tagName,
      };
    }, arabic);
    expect(layout).toStrictEqual({ body: 'rtl', authorIsolated: 'BDI' });
  }
  const draft = await ann.page.locator('#drafts .draft').evaluate((line) => Array.from(line.querySelectorAll('bdi')).map((bdi) => [bdi.textContent, getComputedStyle(bdi).direction]));
  expect(draft).toStrictEqual([
    ['בן', 'rtl'],
    ['שלום', 'rtl'],
  ]);
  expect(await ben.input.evaluate((input) => getComputedStyle(input).direction)).toBe('rtl');
});

test('a name error', async () => {
  const ann = await open({ room: 'a11y-name', name: 'Ann' });
  await ann.page.locator('#name').fill('bot');
  await ann.page.locator('#identity button[type="submit"]').click();
  await ann.page.locator('#name-hint', { hasText: 'reserved' }).waitFor();
  await expectNoAxeViolations(ann.page);
});

test('reconnecting, on a desktop and a phone', async () => {
  const desktop = await open({ room: 'a11y-drop', name: 'Ann' });
  const phone = await open({ room: 'a11y-drop', name: 'Ben', viewport: PHONE });
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: chat.dynamoDb.endpoint, region: 'us-east-1', credentials }));
  const management = new ApiGatewayManagementApiClient({ endpoint: chat.managementApiUrl, region: 'us-east-1', credentials });
  try {
    // From now on the pages' new connections reach no room (they open and are never answered): they stay "reconnecting".
    for (const person of [desktop, phone]) await person.page.routeWebSocket(/.*/, () => undefined);
    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: chat.dynamoDb.tableNames.connections }));
    const ids = Items.filter((item) => item.room === 'a11y-drop').map((item) => String(item.connectionId));
    expect(ids).toHaveLength(2);
    await Promise.all(ids.map((ConnectionId) => management.send(new DeleteConnectionCommand({ ConnectionId }))));
    for (const person of [desktop, phone]) await person.page.locator('#connection[data-state="reconnecting"]').waitFor();
    await expectNoAxeViolations(desktop.page, phone.page);
  } finally {
    management.destroy();
    dynamo.destroy();
  }
});

test('the length warning is said once, however many keys are pressed against the limit', async () => {
  const ann = await open({ room: 'a11y-limit', name: 'Ann' });
  await ann.input.fill('x'.repeat(4000));
  await ann.input.pressSequentially('abc');
  await ann.input.evaluate((input: HTMLTextAreaElement) => {
    input.value += 'more pasted text';
    input.dispatchEvent(new Event('input'));
  });
  expect((await announced(ann.page)).filter((line) => line.startsWith('The limit is'))).toStrictEqual(['The limit is 4000 characters.']);
  // Below the limit and back over it: said again.
  await ann.input.press('Backspace');
  await ann.input.pressSequentially('yz');
  expect((await announced(ann.page)).filter((line) => line.startsWith('The limit is'))).toHaveLength(2);
});
