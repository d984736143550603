// axe-core finds nothing in the room's newer states either, on a desktop and a 390x844 phone, light and dark: history
// with day lines and grouped runs (own and others'), "Load older" visible, the composer's drafts note and switch
// (on and off), "and N more typing", a send marked not sent with Retry, and the people popover open. A fake room
// (test/browser/fake-room.ts) puts the page in each state exactly; the page's clock runs the 10 s send timeout.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from './axe';
import { launchChromium, screenshotPath } from './chat-page';
import { FakeRoom, VIEWPORTS, openWelcomed, userFrame, type Frame } from './fake-room';

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
const PEOPLE = ['Ben', 'Cy', 'Dee', 'Eve', 'Fay'].map((name) => ({ id: `u-${name.toLowerCase()}`, name }));
const [BEN, CY] = PEOPLE as [{ id: string; name: string }, { id: string; name: string }];
/** Noon on 27 November 2026, UTC: the history spans "Friday, 20 November 2026", "Yesterday" and "Today". */
const NOW = Date.UTC(2026, 10, 27, 12);
const MINUTE = 60_000;

/** Runs of three messages (Ben, Ann, Cy, ...) over three days, with a quote, a list and code among them. */
function history(): Frame[] {
  const days = [Date.UTC(2026, 10, 20, 9), Date.UTC(2026, 10, 26, 20), Date.UTC(2026, 10, 27, 10)];
  const authors = [BEN, ANN, CY];
  const texts = ['plain words', '> a quote\n\nand an answer', '- one\n- two', 'some `code` here', '```\nconst x = 1;\n```', 'last one'];
  return Array.from({ length: 18 }, (_, i) =>
    userFrame(`m${String(i + 1).padStart(4, '0')}`, authors[Math.floor(i / 3) % 3]!, texts[i % texts.length]!, days[Math.floor(i / 6)]! + i * MINUTE),
  );
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toStrictEqual([]);
}

describe.each([
  ['desktop', 'light'],
  ['desktop', 'dark'],
  ['phone', 'light'],
  ['phone', 'dark'],
] as const)('on a %s, %s', (kind, colorScheme) => {
  test('history with days and runs, "Load older", drafts overflowing, a send not sent, the switch off, the people popover', async () => {
    const room = `a11y-room-${kind}-${colorScheme}`;
    const { page, peer } = await openWelcomed(
      browser,
      fake,
      room,
      'Ann',
      { ...VIEWPORTS[kind], colorScheme },
      { members: [ANN, ...PEOPLE], history: history(), hasMore: true, cursor: 'm0001' },
      (p) => p.clock.install({ time: NOW }),
    );
    contexts.push(page.context());
    await page.locator('#older', { hasText: 'Load older messages' }).waitFor();
    await page.locator('#messages > li.day').first().waitFor();
    expect(await page.locator('#messages > li.day').count()).toBe(3);
    expect(await page.locator('#messages > li.grouped').count()).toBeGreaterThan(6);

    peer.send(...PEOPLE.map((author, index) => ({ type: 'typing', room, author, text: `draft of ${author.name}`, ts: NOW + index })));
    await page.locator('#drafts .more', { hasText: 'and 2 more typing' }).waitFor();

    await page.locator('#text').fill('anyone there?');
    if (kind === 'phone') await page.locator('#send').click();
    else await page.locator('#text').press('Enter');
    await peer.next((frame) => frame.action === 'sendMessage');
    await page.clock.runFor(10_000);
    const retry = page.locator('#messages li.failed').getByRole('button', { name: 'Retry' });
    await retry.waitFor();
    // The list stays at the bottom as the message grows its "Not sent" line: Retry is in view, not under the drafts.
    const [retryBox, listBox] = await Promise.all([retry.boundingBox(), page.locator('#scroller').boundingBox()]);
    expect(retryBox!.y + retryBox!.height).toBeLessThanOrEqual(listBox!.y + listBox!.height);
    await page.locator('#text').fill('a draft of my own');
    await expectNoAxeViolations(page);

    await page.locator('#share').uncheck();
    await page.locator('#draft-note', { hasText: 'Others see only what you send.' }).waitFor();
    // A long room name is cut short; it never runs under the connection status, which would cover the people button.
    const [online, status] = await Promise.all([page.locator('#online').boundingBox(), page.locator('#connection').boundingBox()]);
    expect(online!.x + online!.width).toBeLessThanOrEqual(status!.x);
    await page.locator('#online').click();
    await page.locator('#people').waitFor();
    await expectNoAxeViolations(page);
    await page.screenshot({ path: screenshotPath(`a11y-room-${kind}-${colorScheme}.png`) });
  });
});
