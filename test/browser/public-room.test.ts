// A page in a public room of 100: the local bot streams an answer through the real path (message Lambda, Kinesis,
// the bot, fanout posting to 100 connections, batched or not) and the page shows that answer once, whole.
import type { Browser } from 'playwright-core';
import { ChatClient, userMessage, type Frame } from '../support/chat-client';
import { startLocalChat, type LocalChat } from '../support/local-chat';
import { ChatPage, launchChromium } from './chat-page';

const ROOM = 'browser-public';
const EXTRA_MEMBERS = 99;

let chat: LocalChat;
let browser: Browser;
let page: ChatPage;
const members: ChatClient[] = [];

/** A server message as frames: a batch envelope's frames, or the frame itself. */
const unwrap = (frame: Frame): Frame[] => (frame.type === 'batch' && Array.isArray(frame.frames) ? (frame.frames as Frame[]) : [frame]);

beforeAll(async () => {
  [chat, browser] = await Promise.all([startLocalChat(), launchChromium()]);
  page = await ChatPage.open(browser, `http://127.0.0.1:${chat.port}/`, { room: ROOM, name: 'Ann' });
  // Together, as a public room fills: their arrivals are announced in batches, not one post per member per arrival.
  const joined = await Promise.all(Array.from({ length: EXTRA_MEMBERS }, (_, i) => ChatClient.join(chat.webSocketUrl, { room: ROOM, name: `m${i}` })));
  members.push(...joined.map(({ client }) => client));
}, 120_000);

afterAll(async () => {
  await Promise.all(members.map((member) => member.close()));
  await browser?.close();
  await chat?.dispose();
});

test('an answer streamed into a room of 100 renders exactly once, whole', async () => {
  const question = '@bot how do I deploy the chat?';
  await page.say(question);
  const witness = members[0] as ChatClient;
  await witness.next(userMessage(question), 60_000);
  // The answer as the room got it: the `end` frame carries the whole text.
  const isEnd = (frame: Frame) => frame.type === 'ai' && frame.state === 'end';
  await witness.next((frame) => unwrap(frame).some(isEnd), 90_000);
  const end = witness.frames.flatMap(unwrap).find(isEnd);
  expect(end).toBeDefined();
  const id = String(end?.id);
  await page.waitForAnswersDone(60_000);

  const answers = page.page.locator(`#messages > li.bot[data-id="${id}"]`);
  expect(await answers.count()).toBe(1);
  const rendered = await answers.locator('.body').innerText();
  // Every run of plain words in the answer is on the page exactly once: nothing missing, nothing doubled.
  const runs = String(end?.text).match(/[A-Za-z][A-Za-z ,']{24,}[A-Za-z]/g) ?? [];
  expect(runs.length).toBeGreaterThan(2);
  for (const run of runs) expect(rendered.split(run).length - 1).toBe(1);
  expect(rendered).not.toContain(' … ');
  expect(page.errors).toEqual([]);
}, 180_000);
