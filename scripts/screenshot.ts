import '../local/quiet-sdk-warning';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalRuntime } from '../local/runtime';
import { ChatPage, launchChromium } from '../test/browser/chat-page';

/**
 * The README's screenshots: two people and the offline bot in a room of the local runtime, seen in Chromium by each
 * of them: on a desktop (light) while the other is typing, with a cited source of the bot's answer open, and on a
 * 390x844 phone (dark). Not a test (it asserts nothing): run it when the page changes.
 *
 *   npm run screenshot                      # writes docs/screenshot.png and docs/screenshot-phone.png
 *   npm run screenshot -- --dir /tmp/shots
 */

const ROOT = resolve(__dirname, '..');
const ROOM = 'browser-talk';
const { values } = parseArgs({ options: { dir: { type: 'string', default: join(ROOT, 'docs') } } });
const outDir = resolve(values.dir);
const QUESTION = '@bot how do I deploy this to my account?';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-screenshot-'));
  const logs: string[] = [];
  const runtime = await startLocalRuntime({ port: 0, host: '127.0.0.1', dataDir, log: (line) => logs.push(line) });
  const browser = await launchChromium();
  try {
    const pageUrl = `http://127.0.0.1:${runtime.port}/`;
    const ann = await ChatPage.open(browser, pageUrl, { room: ROOM, name: 'Ann', viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    const ben = await ChatPage.open(browser, pageUrl, { room: ROOM, name: 'Ben', viewport: { width: 900, height: 1000 } });
    await ann.page.waitForFunction(() => document.querySelector('#online')?.textContent === '2 online');

    await ann.say(QUESTION, 20);
    await ben.waitForMessage(QUESTION);
    await ben.page.locator('#messages > li.bot:not(.streaming)').waitFor();
    await Promise.all([ann, ben].map((person) => person.waitForAnswersDone()));
    await ben.input.pressSequentially('Try **this**:');
    await ben.input.press('Shift+Enter');
    await ben.say('- `npm start`');
    await ann.page.locator('#messages > li.message.other', { hasText: 'Try this:' }).waitFor();

    await ann.input.pressSequentially('Thanks! Trying it now', { delay: 10 });
    await ben.page.locator('#drafts .draft', { hasText: 'Thanks! Trying it now' }).waitFor();
    // One cited source open, to show its passage.
    const source = ben.page.locator('#messages > li.bot .sources summary').first();
    if ((await source.count()) > 0) await source.click();
    await ben.page.locator('#scroller').evaluate((scroller) => (scroller.scrollTop = scroller.scrollHeight));
    await ann.page.locator('#scroller').evaluate((scroller) => (scroller.scrollTop = scroller.scrollHeight));
    mkdirSync(outDir, { recursive: true });
    for (const [file, person] of [
      ['screenshot.png', ben],
      ['screenshot-phone.png', ann],
    ] as const) {
      await person.page.screenshot({ path: join(outDir, file) });
      console.log(`Wrote ${join(outDir, file)}`);
    }
  } catch (error) {
    console.error(logs.slice(-30).join('\n'));
    throw error;
  } finally {
    await browser.close();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
