// The room as a person sees it (issue 11), on a desktop and on a 390x844 touch phone, against a fake room that answers
// exactly what each test makes it answer: how to ask the bot, public drafts and the switch that stops sharing them,
// "and N more typing", history paged back to the room's beginning with day lines and grouped messages, who is online
// by name (renames, a page's own old connection, "offline" while disconnected, a taken name), a refused handshake, a
// send nobody confirms (Playwright's clock, never real waiting), the header's layout and the keyboard on a phone.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEPARTURE_GRACE_MS } from '../../web/src/departure-grace';
import { launchChromium, screenshotPath } from './chat-page';
import { FakeRoom, VIEWPORTS, openWelcomed, userFrame, welcome, type Frame, type Peer, type Welcome } from './fake-room';

let fake: FakeRoom;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [fake, browser] = await Promise.all([FakeRoom.start(), launchChromium()]);
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  await fake?.stop();
});

const ANN = { id: 'u-me', name: 'Ann' };
const BEN = { id: 'u-ben', name: 'Ben' };
const CY = { id: 'u-cy', name: 'Cy' };
const DEE = { id: 'u-dee', name: 'Dee' };
/** The page's clock in the history test: noon on 27 November 2026, UTC. */
const NOW = Date.UTC(2026, 10, 27, 12);
const MINUTE = 60_000;
/** A page's first retry after a dropped connection comes within this long (web/src/backoff.ts, attempt 0). */
const RETRY_WITHIN_MS = 500;

const texts = (page: Page, selector: string) => page.locator(selector).evaluateAll((items) => items.map((item) => (item as HTMLElement).innerText));
const box = async (page: Page, selector: string) => (await page.locator(selector).boundingBox())!;

describe.each(Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[])('on a %s', (kind) => {
  const phone = kind === 'phone';
  let rooms = 0;

  async function open(options: Welcome = {}, name = 'Ann', beforeGoto?: (page: Page) => Promise<void>): Promise<{ page: Page; peer: Peer; room: string }> {
    const room = `${kind}-${(rooms += 1)}`;
    const opened = await openWelcomed(browser, fake, room, name, VIEWPORTS[kind], options, beforeGoto);
    contexts.push(opened.page.context());
    return { ...opened, room };
  }

  /** Sends what is in the message box: Enter on a keyboard, the Send button on a touch screen. */
  async function send(page: Page): Promise<void> {
    if (phone) await page.locator('#send').click();
    else await page.locator('#text').press('Enter');
  }

  test('the empty room and the composer say how to ask the bot and that others see drafts; short placeholder, 16 px inputs', async () => {
    const { page, room } = await open({ bot: { name: 'Sage', replies: 'addressed' } });

    expect(await page.locator('#beginning').innerText()).toBe(`This is the beginning of #${room}. To ask the bot, mention @Sage or press Ask @Sage.`);
    expect(await page.locator('#draft-note').innerText()).toBe('Others see what you type.');
    expect(await page.locator('#text').getAttribute('placeholder')).toBe('Message');
    expect((await box(page, '#text')).height).toBeLessThan(50);
    for (const input of ['#text', '#name']) expect(await page.locator(input).evaluate((element) => getComputedStyle(element).fontSize)).toBe('16px');

    await page.locator('#text').fill('how do I deploy?');
    await page.locator('#ask').click();
    expect(await page.locator('#ask').innerText()).toBe('Ask @Sage');
    expect(await page.locator('#text').inputValue()).toBe('@Sage how do I deploy?');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');
    // Asking twice does not mention it twice.
    await page.locator('#ask').click();
    expect(await page.locator('#text').inputValue()).toBe('@Sage how do I deploy?');

    if (phone) {
      for (const target of ['#online', '#name', '#identity button', '#ask', '#send', '#composer label:has(#share)']) {
        const { width, height } = await box(page, target);
        expect([target, Math.min(width, height) >= 44]).toStrictEqual([target, true]);
      }
    }
  });

  test(phone ? 'Enter makes a new line and Send sends' : 'Enter sends and Shift+Enter makes a new line', async () => {
    const { page, peer } = await open();
    const input = page.locator('#text');
    await input.pressSequentially('one');
    if (phone) {
      await input.press('Enter');
      await input.pressSequentially('two');
      expect(await input.inputValue()).toBe('one\ntwo');
      await page.locator('#send').click();
    } else {
      await input.press('Shift+Enter');
      await input.pressSequentially('two');
      await input.press('Enter');
    }
    const sent = await peer.next((frame) => frame.action === 'sendMessage');
    expect(sent.text).toBe('one\ntwo');
    expect(peer.received.filter((frame) => frame.action === 'sendMessage')).toHaveLength(1);
  });

  test('"thinking" shows only under a message that asks the bot', async () => {
    const { page, peer } = await open({ bot: { name: 'Sage', replies: 'addressed' } });
    const said = ['hello everyone', 'write to me@bot.example', '@bots are fun', '@sage, how do I deploy?'];
    for (const [index, text] of said.entries()) {
      await page.locator('#text').fill(text);
      await send(page);
      const sent = await peer.next((frame) => frame.action === 'sendMessage' && frame.text === text);
      peer.send(userFrame(`m000${index + 1}`, ANN, text, Date.now(), { clientMsgId: sent.clientMsgId } as Frame));
      await page.locator(`#messages li[data-id="m000${index + 1}"]`).waitFor();
    }
    const thinking = await page.locator('li.thinking-placeholder').evaluateAll((items) => items.map((item) => (item.previousElementSibling as HTMLElement).dataset.id));
    expect(thinking).toStrictEqual(['m0004']);
  });

  test('the sharing switch stops drafts at once, only sent messages go out, and the page remembers it', async () => {
    const { page, peer, room } = await open();
    await page.locator('#text').pressSequentially('secret plan');
    await peer.next((frame) => frame.action === 'typing' && frame.text === 'secret plan');

    const from = peer.received.length;
    await page.locator('#share').uncheck();
    await peer.next((frame) => frame.action === 'typing' && frame.text === '', from);
    expect(await page.locator('#draft-note').innerText()).toBe('Others see only what you send.');
    await page.locator('#text').pressSequentially(' for friday');
    await send(page);
    await peer.next((frame) => frame.action === 'sendMessage', from);
    const after = peer.received.slice(from);
    expect(after.filter((frame) => frame.action === 'typing')).toStrictEqual([{ action: 'typing', text: '' }]);
    expect(after.find((frame) => frame.action === 'sendMessage')?.text).toBe('secret plan for friday');

    const index = fake.connections;
    await page.reload();
    (await fake.peer(index)).send(welcome(room));
    await page.locator('#connection[data-state="online"]').waitFor();
    expect(await page.locator('#share').isChecked()).toBe(false);
    await page.locator('#text').pressSequentially('still private');
    await send(page);
    const reloaded = await fake.peer(index);
    await reloaded.next((frame) => frame.action === 'sendMessage');
    expect(reloaded.received.filter((frame) => frame.action === 'typing' && frame.text !== '')).toStrictEqual([]);
  });

  test('a long draft shows its end, where the typing is, within its line', async () => {
    const { page, peer } = await open();
    const author = { id: 'u-wen', name: 'Wen' };
    const draft = `${'and then the bootstrap step '.repeat(8)}THE-NEWEST-WORDS`;
    peer.send({ type: 'typing', room: 'x', author, text: draft, ts: 1000 });
    const line = page.locator('#drafts .draft', { hasText: 'THE-NEWEST-WORDS' });
    await line.waitFor();
    expect(await line.innerText()).toMatch(/^Wen is typing: ….*THE-NEWEST-WORDS$/);
    // Nothing of it is cut off at the line's end.
    expect(await line.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  });

  test('drafts that do not fit are counted: "and N more typing"', async () => {
    const { page, peer } = await open();
    const people = ['Ben', 'Cy', 'Dee', 'Eve', 'Fay'].map((name) => ({ id: `u-${name}`, name }));
    peer.send(...people.map((author, index) => ({ type: 'typing', room: 'x', author, text: `draft of ${author.name}`, ts: 1000 + index })));
    await page.locator('#drafts .more', { hasText: 'and 2 more typing' }).waitFor();
    expect(await texts(page, '#drafts .draft:not([hidden]):not(.more)')).toStrictEqual([
      'Ben is typing: draft of Ben',
      'Cy is typing: draft of Cy',
      'Dee is typing: draft of Dee',
    ]);
    peer.send({ type: 'typing', room: 'x', author: people[0], text: '', ts: 2000 });
    await page.locator('#drafts .more', { hasText: 'and 1 more typing' }).waitFor();
    expect(await page.locator('#drafts .draft:not([hidden]):not(.more)').count()).toBe(3);
    // The counter sits in the composer: it never covers messages or drafts.
    await page.locator('#text').fill('x'.repeat(3600));
    const counter = await box(page, '#counter');
    expect(await page.locator('#counter').innerText()).toBe('3600 / 4000');
    for (const other of ['#scroller', '#drafts']) {
      const area = await box(page, other);
      expect(counter.y >= area.y + area.height || counter.y + counter.height <= area.y).toBe(true);
    }
  });

  test('history: scrolling to the top and "Load older" page back to the beginning, with day lines and grouped messages', async () => {
    // 90 messages over three days, in runs of three by Ben, then Cy, one minute apart.
    const day = (index: number) => (index <= 10 ? Date.UTC(2026, 10, 20, 9) : index <= 40 ? Date.UTC(2026, 10, 26, 20) : Date.UTC(2026, 10, 27, 10));
    const all = Array.from({ length: 90 }, (_, i) => {
      const index = i + 1;
      const author = Math.floor(i / 3) % 2 === 0 ? BEN : CY;
      return userFrame(`m${String(index).padStart(4, '0')}`, author, `message ${index}`, day(index) + index * MINUTE);
    });
    const page90 = (from: number, to: number) => all.slice(from - 1, to);
    const { page, peer } = await open({ members: [ANN, BEN, CY], history: page90(61, 90), hasMore: true, cursor: 'm0061' }, 'Ann', (p) =>
      p.clock.setFixedTime(NOW),
    );
    expect(await page.locator('#older').isVisible()).toBe(true);
    expect(await page.locator('#beginning').isVisible()).toBe(false);

    const first = page.locator('[data-id="m0061"]');
    await page.locator('#scroller').evaluate((scroller) => scroller.scrollTo(0, 0));
    const topBefore = (await first.boundingBox())!.y;
    const request = await peer.next((frame) => frame.action === 'history');
    expect(request).toStrictEqual({ action: 'history', before: 'm0061', limit: 50 });
    expect(await page.locator('#older').innerText()).toBe('Loading…');
    peer.send({ type: 'history', room: 'x', messages: page90(31, 60), hasMore: true, cursor: 'm0031' });
    await page.locator('[data-id="m0031"]').waitFor();
    // What the reader was looking at stays where it was.
    expect(Math.abs((await first.boundingBox())!.y - topBefore)).toBeLessThan(2);

    const count = peer.received.length;
    await page.locator('#older').click();
    expect(await peer.next((frame) => frame.action === 'history', count)).toStrictEqual({ action: 'history', before: 'm0031', limit: 50 });
    peer.send({ type: 'history', room: 'x', messages: page90(1, 30), hasMore: false });
    await page.locator('#beginning').waitFor();
    expect(await page.locator('#older').isHidden()).toBe(true);
    // Older messages are not new ones: no "New messages" for them.
    expect(await page.locator('#jump').isHidden()).toBe(true);

    const ids = await page.locator('#messages > li[data-id]').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.id));
    expect(ids).toStrictEqual(all.map((message) => message.id));
    expect(await texts(page, '#messages > li.day')).toStrictEqual(['Friday, 20 November 2026', 'Yesterday', 'Today']);
    expect(await page.locator('#messages > li.day + li').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.id))).toStrictEqual([
      'm0001',
      'm0011',
      'm0041',
    ]);
    // A run shows its author's name and time once; a new day starts a new run.
    const expectedGrouped = all
      .filter((message, i) => i > 0 && (message.author as { id: string }).id === (all[i - 1]!.author as { id: string }).id && ![11, 41].includes(i + 1))
      .map((message) => message.id);
    const grouped = await page.locator('#messages > li.grouped').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.id));
    expect(grouped).toStrictEqual(expectedGrouped);
    // (A grouped message keeps its name for screen readers, in a 1 px clipped box.)
    const shownMeta = await page.locator('#messages > li.message .meta').evaluateAll((metas) => metas.filter((meta) => meta.getBoundingClientRect().height > 1).length);
    expect(shownMeta).toBe(90 - expectedGrouped.length);
    await page.locator('#scroller').evaluate((scroller) => scroller.scrollTo(0, 0));
    await page.locator('#text').fill('x'.repeat(3700));
    await page.screenshot({ path: screenshotPath(`room-history-${kind}.png`) });
  });

  test('a page of older messages lost with its connection can be asked for again after the reconnect', async () => {
    const history = [userFrame('m0050', BEN, 'newest', Date.now())];
    const { page, peer, room } = await open({ history, hasMore: true, cursor: 'm0050' }, 'Ann', (p) => p.clock.install());
    await page.locator('#older').click();
    await peer.next((frame) => frame.action === 'history');
    expect(await page.locator('#older').innerText()).toBe('Loading…');
    const index = fake.connections;
    peer.socket.close(1011);
    await page.locator('#connection[data-state="reconnecting"]').waitFor();
    // The first retry comes within 500 ms (backoff attempt 0): on the page's clock, not by waiting.
    await page.clock.runFor(RETRY_WITHIN_MS);
    const next = await fake.peer(index);
    next.send(welcome(room, { history, hasMore: true, cursor: 'm0050' }));
    await page.locator('#older:not([aria-disabled="true"])', { hasText: 'Load older messages' }).waitFor();
    await page.locator('#older').click();
    expect(await next.next((frame) => frame.action === 'history')).toStrictEqual({ action: 'history', before: 'm0050', limit: 50 });
  });

  test('who is online, by name: joins, renames as "Ann is now Annie", never the page itself leaving', async () => {
    const { page, peer } = await open({ members: [ANN, BEN, CY] }, 'Ann', (p) => p.clock.install());
    expect(await page.locator('#online').innerText()).toBe('3 online');
    await page.locator('#online').click();
    await page.locator('#people').waitFor();
    expect(await texts(page, '#people li')).toStrictEqual(['Ann (you)', 'Ben', 'Cy']);
    await page.keyboard.press('Escape');
    await page.locator('#people').waitFor({ state: 'hidden' });

    peer.send({ type: 'presence', room: 'x', joined: [DEE], left: [], online: 4 });
    // A rename in one frame (the same author id leaves and joins), and one over two frames (the new connection first).
    peer.send({ type: 'presence', room: 'x', joined: [{ ...BEN, name: 'Benny' }], left: [BEN], online: 4 });
    peer.send({ type: 'presence', room: 'x', joined: [{ ...CY, name: 'Cyrus' }], left: [], online: 5 });
    peer.send({ type: 'presence', room: 'x', joined: [], left: [CY], online: 4 });
    // The page's own old connection (a reload, a crash) leaving, by its id and by its name.
    peer.send({ type: 'presence', room: 'x', joined: [], left: [ANN, { id: 'u-before-reload', name: 'Ann' }], online: 4 });
    // Zed was online but not among the welcome's members (it lists at most 100): their leaving is told too.
    peer.send({ type: 'presence', room: 'x', joined: [], left: [DEE, { id: 'u-unlisted', name: 'Zed' }], online: 3 });
    await page.locator('#online', { hasText: '3 online' }).waitFor();
    await page.clock.runFor(DEPARTURE_GRACE_MS);
    await page.locator('#messages li.notice', { hasText: 'Dee and Zed left' }).waitFor();

    expect(await texts(page, '#messages li.notice')).toStrictEqual([
      'Dee joined. 4 online.',
      'Ben is now Benny.',
      'Cy is now Cyrus.',
      'Dee and Zed left. 3 online.',
    ]);
    await page.locator('#online').click();
    expect(await texts(page, '#people li')).toStrictEqual(['Ann (you)', 'Benny', 'Cyrus']);
    await page.screenshot({ path: screenshotPath(`room-online-${kind}.png`) });
  });

  test('someone back within the grace (a reload, a reconnect) is no news, unless renamed; the others leave together', async () => {
    const { page, peer } = await open({ members: [ANN, BEN, CY, DEE] }, 'Ann', (p) => p.clock.install());
    // The page's time stands still from here but for runFor: a slow machine must not let a grace run out by itself.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
    // Ben reloads (the old connection goes first), Cy comes back renamed, Dee and a stranger do not come back.
    peer.send({ type: 'presence', room: 'x', joined: [], left: [BEN, CY], online: 2 });
    peer.send({ type: 'presence', room: 'x', joined: [], left: [DEE, { id: 'u-zed', name: 'Zed' }], online: 1 });
    await page.locator('#online', { hasText: '1 online' }).waitFor();
    // The list says who is online now; the room's lines wait.
    await page.locator('#online').click();
    expect(await texts(page, '#people li')).toStrictEqual(['Ann (you)']);
    await page.keyboard.press('Escape');
    await page.clock.runFor(DEPARTURE_GRACE_MS - 1_000);
    peer.send({ type: 'presence', room: 'x', joined: [BEN, { ...CY, name: 'Cyrus' }], left: [], online: 3 });
    await page.locator('#messages li.notice', { hasText: 'Cy is now Cyrus' }).waitFor();
    await page.clock.runFor(DEPARTURE_GRACE_MS);
    await page.locator('#messages li.notice', { hasText: 'Dee and Zed left' }).waitFor();
    expect(await texts(page, '#messages li.notice')).toStrictEqual(['Cy is now Cyrus.', 'Dee and Zed left. 3 online.']);
    // Ben's first departure was forgotten when he came back: leaving again is told once, after its own grace.
    peer.send({ type: 'presence', room: 'x', joined: [], left: [BEN], online: 2 });
    await page.clock.runFor(DEPARTURE_GRACE_MS);
    await page.locator('#messages li.notice', { hasText: 'Ben left' }).waitFor();
    expect(await texts(page, '#messages li.notice')).toStrictEqual(['Cy is now Cyrus.', 'Dee and Zed left. 3 online.', 'Ben left. 2 online.']);
  });

  test('while disconnected the header says "offline" instead of a stale count and keeps its layout', async () => {
    const { page, peer, room } = await open({ members: [ANN, BEN, CY] }, 'Ann', (p) => p.clock.install());
    const parts = ['header', '#room', '#online', '#identity', '#name'];
    const before = await Promise.all(parts.map((part) => box(page, part)));
    const index = fake.connections;
    peer.socket.close(1011);
    await page.locator('#connection[data-state="reconnecting"]').waitFor();
    await page.locator('#retry').waitFor();
    expect(await page.locator('#online').innerText()).toBe('offline');
    // The room's name is not squeezed out by the status (on a phone the status says it with the dot and Retry).
    expect(await page.locator('#room').evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await page.screenshot({ path: screenshotPath(`room-reconnecting-${kind}.png`) });
    const during = await Promise.all(parts.map((part) => box(page, part)));
    expect(during.map(({ y, height }) => [y, height])).toStrictEqual(before.map(({ y, height }) => [y, height]));
    for (const part of ['#room', '#identity', '#name']) expect((await box(page, part)).x).toBe(before[parts.indexOf(part)]!.x);
    // Enter while disconnected keeps the message and says so on screen, not only to screen readers.
    if (!phone) {
      await page.locator('#text').fill('kept for later');
      await page.locator('#text').press('Enter');
      await page.locator('#offline-note').waitFor();
      expect(await page.locator('#text').inputValue()).toBe('kept for later');
    }
    await page.clock.runFor(RETRY_WITHIN_MS);
    (await fake.peer(index)).send(welcome(room, { members: [ANN, BEN] }));
    await page.locator('#online', { hasText: '2 online' }).waitFor();
    expect(await page.locator('#offline-note').isHidden()).toBe(true);
  });

  test('a name already in the room: the page says which name it got', async () => {
    const { page } = await open({ you: { id: 'u-second', name: 'Ann 2' }, members: [ANN, { id: 'u-second', name: 'Ann 2' }] });
    await page.locator('#messages li.notice', { hasText: 'Ann was taken; you are Ann 2.' }).waitFor();
    expect(await page.locator('#name').inputValue()).toBe('Ann 2');
  });

  test('after a reload the old connection leaving (the room gave each connection its own id) is not told as news', async () => {
    const first = { id: 'u-first', name: 'Ann' };
    const { page, room } = await open({ you: first, members: [first, BEN] });
    const index = fake.connections;
    await page.reload();
    // The old connection is still in the room when the new one asks for "Ann".
    const second = { id: 'u-second', name: 'Ann 2' };
    const peer = await fake.peer(index);
    peer.send(welcome(room, { you: second, members: [first, second, BEN] }));
    await page.locator('#connection[data-state="online"]').waitFor();
    peer.send({ type: 'presence', room, joined: [], left: [first], online: 2 });
    peer.send({ type: 'presence', room, joined: [DEE], left: [], online: 3 });
    await page.locator('#messages li.notice', { hasText: 'Dee joined' }).waitFor();
    expect(await texts(page, '#messages li.notice')).toStrictEqual(['Ann was taken; you are Ann 2.', 'Dee joined. 3 online.']);
  });

  test('a refused handshake says so plainly; a name the server would refuse never reaches it', async () => {
    const context = await browser.newContext(VIEWPORTS[kind]);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${fake.baseUrl}/?room=${kind}-refused&name=Refused`);
    await page.locator('#connection-label', { hasText: 'Cannot reach the room' }).waitFor();

    const index = fake.connections;
    await page.goto(`${fake.baseUrl}/?room=${kind}-refused&name=Bot`);
    await page.locator('#messages li.notice.error', { hasText: 'The name "Bot" cannot be used' }).waitFor();
    expect((await fake.peer(index)).name).toBeNull();
  });

  test('a send the room never confirms is marked not sent after 10 s, with Retry', async () => {
    const { page, peer } = await open({}, 'Ann', (p) => p.clock.install());
    await page.locator('#text').fill('anyone there?');
    await send(page);
    const first = await peer.next((frame) => frame.action === 'sendMessage');
    await page.clock.runFor(9_000);
    expect(await page.locator('#messages li.pending .state').innerText()).toBe('Sending…');
    await page.clock.runFor(1_000);
    const failed = page.locator('#messages li.failed');
    await failed.waitFor();
    expect(await failed.locator('.send-error').innerText()).toBe('Not sent: the room did not answer. Retry');

    const count = peer.received.length;
    await failed.getByRole('button', { name: 'Retry' }).click();
    const retried = await peer.next((frame) => frame.action === 'sendMessage', count);
    expect(retried.text).toBe('anyone there?');
    expect(retried.clientMsgId).not.toBe(first.clientMsgId);
    peer.send(userFrame('m0001', ANN, 'anyone there?', Date.now(), { clientMsgId: retried.clientMsgId } as Frame));
    await page.locator('#messages li[data-id="m0001"]').waitFor();
    expect(await page.locator('#messages li.message:not(.bot)').count()).toBe(1);
    expect(await page.locator('#messages li.failed, #messages li.pending').count()).toBe(0);
  });

  if (phone) {
    test('the list stays at the bottom when the keyboard opens', async () => {
      const history = Array.from({ length: 40 }, (_, i) => userFrame(`m${String(i + 1).padStart(4, '0')}`, i % 2 ? BEN : CY, `line ${i + 1}`, NOW + i * MINUTE));
      const { page } = await open({ history });
      const atBottom = () =>
        page.locator('#scroller').evaluate((scroller) => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= 2);
      expect(await atBottom()).toBe(true);
      await page.locator('#text').focus();
      // A soft keyboard takes the lower half of the screen.
      await page.setViewportSize({ width: 390, height: 420 });
      await page.waitForFunction(() => {
        const scroller = document.getElementById('scroller')!;
        return scroller.clientHeight < 400 && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= 2;
      });
    });
  }
});
