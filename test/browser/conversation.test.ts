// Two people, two browser pages, the real local runtime: live drafts, messages delivered once with the author's name,
// and nothing anyone types can run script or inject markup.
import type { Browser } from 'playwright-core';
import { QUICK_OFFLINE_BOT, startLocalChat, type LocalChat } from '../support/local-chat';
import { ChatPage, launchChromium } from './chat-page';

let chat: LocalChat;
let browser: Browser;
let ann: ChatPage;
let ben: ChatPage;
const ROOM = 'browser-talk';

beforeAll(async () => {
  [chat, browser] = await Promise.all([startLocalChat({ settings: QUICK_OFFLINE_BOT }), launchChromium()]);
  const pageUrl = `http://127.0.0.1:${chat.port}/`;
  ann = await ChatPage.open(browser, pageUrl, { room: ROOM, name: 'Ann' });
  ben = await ChatPage.open(browser, pageUrl, { room: ROOM, name: 'Ben' });
});

afterAll(async () => {
  // Let the bot finish what it was asked before the runtime's stores close.
  await Promise.all([ann, ben].map((person) => person?.waitForAnswersDone().catch(() => undefined)));
  await browser?.close();
  await chat?.dispose();
});

test('both pages show the room, the online count and who they are', async () => {
  await ann.page.waitForFunction(() => document.querySelector('#online')?.textContent === '2 online');
  expect(await ben.page.locator('#online').textContent()).toBe('2 online');
  expect([await ann.page.locator('#room').textContent(), await ann.page.locator('#name').inputValue()]).toStrictEqual([
    `#${ROOM}`,
    'Ann',
  ]);
  expect(await ben.page.title()).toBe(`#${ROOM} · Serverless chat`);
});

test('A types: B sees the draft grow; A sends: both see the message once, B with A\'s name, and the draft is gone', async () => {
  const text = 'how do I deploy this to my account?';
  // Record every state of Ben's draft line as Ann types.
  await ben.page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { draftStates: string[] }).draftStates = seen;
    new MutationObserver(() => seen.push(document.querySelector('#drafts')!.textContent ?? '')).observe(
      document.querySelector('#drafts')!,
      { childList: true, subtree: true, characterData: true },
    );
  });

  await ann.input.pressSequentially(text, { delay: 40 });
  await ben.page.locator('#drafts .draft', { hasText: `Ann is typing: ${text}` }).waitFor();
  const states = await ben.page.evaluate(() => (window as unknown as { draftStates: string[] }).draftStates);
  const drafts = [...new Set(states.filter((state) => state.startsWith('Ann is typing: ')).map((state) => state.slice(15)))];
  await ann.input.press('Enter');
  await Promise.all([ann.waitForMessage(text), ben.waitForMessage(text)]);
  await ben.page.locator('#drafts .draft').waitFor({ state: 'detached' });

  // At least two partial drafts before the whole one, each a longer start of the text.
  expect(drafts.length).toBeGreaterThanOrEqual(3);
  expect(drafts.at(-1)).toBe(text);
  drafts.forEach((draft, index) => {
    expect(text.startsWith(draft)).toBe(true);
    if (index > 0) expect(draft.length).toBeGreaterThan(drafts[index - 1].length);
  });
  expect(await ann.count(text)).toBe(1);
  expect(await ben.count(text)).toBe(1);
  expect((await ben.userMessages()).find(([, body]) => body === text)).toStrictEqual(['Ann', text]);
  expect(await ann.page.locator('#messages > li.message.own .body', { hasText: text }).count()).toBe(1);
  expect(await ben.page.locator('#messages > li.message.other .body', { hasText: text }).count()).toBe(1);
  expect(await ann.input.inputValue()).toBe('');
  // Screen readers hear the new message (Ben's page announces Ann's).
  expect(await ben.page.locator('#announcer').textContent()).toContain(`Ann: ${text}`);
});

test('Shift+Enter makes a new line, Enter sends; Markdown renders', async () => {
  await ben.input.pressSequentially('Try **this**:');
  await ben.input.press('Shift+Enter');
  await ben.input.pressSequentially('- `npm start`');
  expect(await ben.input.inputValue()).toBe('Try **this**:\n- `npm start`');
  await ben.input.press('Enter');

  const message = ann.page.locator('#messages > li.message.other', { hasText: 'Try this:' });
  await message.waitFor();
  expect(await message.locator('.body strong').textContent()).toBe('this');
  expect(await message.locator('.body ul > li > code').textContent()).toBe('npm start');
});

test('a name can be changed: the page rejoins under it, keeping the conversation', async () => {
  const before = await ben.userMessages();
  await ben.page.locator('#name').fill('Benjamin');
  await ben.page.locator('#name').press('Enter');
  await ben.page.waitForFunction(() => new URL(location.href).searchParams.get('name') === 'Benjamin');
  await ben.page.locator('#identity[data-pending="false"]').waitFor();
  await ben.waitOnline();
  await ben.say('my new name');

  expect((await ann.waitForMessage('my new name').then(() => ann.userMessages())).at(-1)).toStrictEqual(['Benjamin', 'my new name']);
  await ben.waitForMessage('my new name');
  expect((await ben.userMessages()).slice(0, before.length)).toStrictEqual(before);
  const ids = await ben.ids();
  expect(new Set(ids).size).toBe(ids.length);
});

test('scrolled up to read, a reader is not pulled down: a "new messages" jump appears and takes them back', async () => {
  const scroller = ben.page.locator('#scroller');
  // The bot answers only when asked: its answer makes the list taller than the window, so there is room to scroll.
  await ann.say('@bot how do I deploy the chat?');
  await Promise.all([ann, ben].map((person) => person.waitForMessage('@bot how do I deploy the chat?')));
  // Nothing may still be streaming (a pinned page follows a growing answer), and the page must have seen the scroll.
  await Promise.all([ann, ben].map((person) => person.waitForAnswersDone()));
  await ben.page.locator('#messages > li.bot:not(.streaming)').first().waitFor();
  await scroller.evaluate(
    (element) =>
      new Promise<void>((resolve) => {
        element.addEventListener('scroll', () => resolve(), { once: true });
        element.scrollTop = 0;
      }),
  );
  await ann.say('something new');
  await ben.waitForMessage('something new');

  await ben.page.locator('#jump').waitFor();
  expect(await ben.page.locator('#jump').textContent()).toMatch(/^\d+ new messages? ↓$/);
  expect(await scroller.evaluate((element) => element.scrollTop)).toBe(0);
  await ben.page.locator('#jump').click();
  await ben.page.locator('#jump').waitFor({ state: 'hidden' });
  expect(await scroller.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight)).toBeLessThan(50);
});

test('the message box takes at most 4000 characters, with a counter near the limit', async () => {
  await ann.input.fill('x'.repeat(3400));
  expect(await ann.page.locator('#counter').isHidden()).toBe(true);
  await ann.input.fill('🙂'.repeat(3990));
  await ann.input.pressSequentially('abcdefghijklmnop');
  expect(await ann.page.locator('#counter').textContent()).toBe('4000 / 4000');
  expect(Array.from(await ann.input.inputValue()).length).toBe(4000);
  await ann.input.fill('');
  await ben.page.locator('#drafts .draft').waitFor({ state: 'detached' });
});

test('pasted characters the room refuses (controls, bidi embeddings) leave the message box at once; tabs and line breaks stay', async () => {
  await ann.input.fill('ring\u0007 the \u001b[1mbell\tnow\nplease');
  expect(await ann.input.inputValue()).toBe('ring the [1mbell\tnow\nplease');
  // Hebrew copied with its embedding marks: the words stay, the marks go, and nothing is refused.
  await ann.input.fill('\u202Bשלום\u202C');
  expect(await ann.input.inputValue()).toBe('שלום');
  await ben.page.locator('#drafts .draft', { hasText: 'שלום' }).waitFor();
  // Nothing visible: Send stays off (the room would refuse it).
  await ann.input.fill('\u200B\u3164 ');
  expect(await ann.page.locator('#send').isDisabled()).toBe(true);
  await ann.input.fill('ring\u0000 the\u0085 bell');
  expect(await ann.input.inputValue()).toBe('ring the bell');
  await ann.input.press('Enter');
  await ben.waitForMessage('ring the bell');
});

test('markup and javascript: links anyone sends are shown as harmless text', async () => {
  // Both ask the bot, which quotes what it was asked: its answers must be as harmless.
  const img = '@bot <img src=x onerror=alert(1)>';
  const link = '@bot [click me](javascript:alert(document.cookie))';
  await ann.say(img);
  await ann.say(link);
  await Promise.all([ann, ben].map((person) => person.waitForMessage(img)));
  await Promise.all([ann, ben].map((person) => person.waitForMessage(link)));
  // The bot quotes what it was asked: its answers must be as harmless.
  await Promise.all([ann, ben].map((person) => person.waitForAnswersDone()));

  for (const person of [ann, ben]) {
    const dom = await person.page.evaluate(() => ({
      images: document.querySelectorAll('img').length,
      hrefs: Array.from(document.querySelectorAll('a')).map((a) => a.getAttribute('href') ?? ''),
      handlers: Array.from(document.querySelectorAll('*')).flatMap((element) =>
        Array.from(element.attributes).filter((attribute) => attribute.name.startsWith('on')).map((attribute) => attribute.name),
      ),
    }));
    expect(dom.images).toBe(0);
    expect(dom.handlers).toStrictEqual([]);
    expect(dom.hrefs.filter((href) => !/^(https?:|mailto:|#)/.test(href))).toStrictEqual([]);
    expect(person.dialogs).toStrictEqual([]);
    expect(person.errors).toStrictEqual([]);
    expect(await person.count(img)).toBe(1);
    expect(await person.count(link)).toBe(1);
  }
});
