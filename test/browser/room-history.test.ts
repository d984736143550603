// The room page against the real local runtime (message Lambda, Kinesis, fanout, DynamoDB history): 120 messages
// said in a terminal are read back to the room's beginning through the history cursor, scrolling to the top and
// "Load older", in order and once each; and who is online is listed by name, updated by real presence frames.
import type { Browser } from 'playwright-core';
import { ChatClient, userMessage } from '../support/chat-client';
import { SPINE_ONLY, startLocalChat, type LocalChat } from '../support/local-chat';
import { ChatPage, launchChromium } from './chat-page';

const ROOM = 'browser-history';
let chat: LocalChat;
let browser: Browser;

beforeAll(async () => {
  // The terminal says 120 messages at once: over the per-connection message rate on a fast machine.
  [chat, browser] = await Promise.all([
    startLocalChat({ settings: { ...SPINE_ONLY.settings, messageRatePerSecond: '1000', messageBurst: '10000' } }),
    launchChromium(),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await chat?.dispose();
});

jest.setTimeout(150_000);

test('older messages load on scrolling to the top and on "Load older", back to the beginning, in order and once', async () => {
  const said = Array.from({ length: 120 }, (_, index) => `history line ${index + 1}`);
  const { client } = await ChatClient.join(chat.webSocketUrl, { room: ROOM, name: 'Terminal' });
  for (const text of said) client.send({ action: 'sendMessage', text });
  const echoes = await Promise.all(said.map((text) => client.next(userMessage(text))));
  const inRoomOrder = echoes.sort((a, b) => String(a.id).localeCompare(String(b.id))).map((frame) => String(frame.text));

  const ann = await ChatPage.open(browser, `http://127.0.0.1:${chat.port}/`, { room: ROOM, name: 'Ann' });
  await ann.page.locator('#older').waitFor();
  const shownAtFirst = (await ann.userMessages()).length;
  expect(shownAtFirst).toBeLessThan(120);

  await ann.page.locator('#scroller').evaluate((scroller) => scroller.scrollTo(0, 0));
  await ann.page.waitForFunction((count) => document.querySelectorAll('#messages > li.message').length > count, shownAtFirst);
  while (await ann.page.locator('#older').isVisible()) {
    const before = (await ann.userMessages()).length;
    // With the keyboard: the focus stays on the button while it loads, and moves to the room's beginning at the end.
    await ann.page.locator('#older:not([aria-disabled="true"])').press('Enter');
    await ann.page.waitForFunction(
      (count) => document.querySelectorAll('#messages > li.message').length > count || !document.querySelector('#beginning')?.hasAttribute('hidden'),
      before,
    );
    if (await ann.page.locator('#older').isVisible()) expect(await ann.page.evaluate(() => document.activeElement?.id)).toBe('older');
  }
  await ann.page.locator('#beginning').waitFor();
  expect(await ann.page.evaluate(() => document.activeElement?.id)).toBe('beginning');
  expect(await ann.userMessages()).toStrictEqual(inRoomOrder.map((text): [string, string] => ['Terminal', text]));
  const ids = await ann.ids();
  expect(new Set(ids).size).toBe(120);
  // One author in a row: the name shows once per run (runs break at a day line or after five minutes).
  expect(await ann.page.locator('#messages > li.message:not(.grouped)').count()).toBeLessThan(10);

  // Who is online, by name, as real presence frames change it.
  await client.close();
  const ben = await ChatPage.open(browser, `http://127.0.0.1:${chat.port}/`, { room: ROOM, name: 'Ben' });
  await ann.page.locator('#online', { hasText: '2 online' }).waitFor();
  await ann.page.locator('#online').click();
  expect(await ann.page.locator('#people li').allInnerTexts()).toStrictEqual(['Ann (you)', 'Ben']);
  await ben.close();
  await ann.page.locator('#messages li.notice', { hasText: 'Ben left. 1 online.' }).waitFor();
  expect(await ann.page.locator('#people li').allInnerTexts()).toStrictEqual(['Ann (you)']);
  expect(ann.errors).toStrictEqual([]);
  await ann.close();
});
