import '../local/quiet-sdk-warning';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalRuntime } from '../local/runtime';
import { ChatPage, launchChromium } from '../test/browser/chat-page';

/**
 * The README's screenshot: two people and the offline bot in a room of the local runtime, seen by one of them in
 * Chromium while the other is typing. Not a test (it asserts nothing): run it when the page changes.
 *
 *   npm run screenshot                      # writes docs/screenshot.png
 *   npm run screenshot -- --out /tmp/shot.png
 */

const ROOT = resolve(__dirname, '..');
const ROOM = 'browser-talk';
const { values } = parseArgs({ options: { out: { type: 'string', default: join(ROOT, 'docs/screenshot.png') } } });
const out = resolve(values.out);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-screenshot-'));
  const logs: string[] = [];
  const runtime = await startLocalRuntime({ port: 0, host: '127.0.0.1', dataDir, log: (line) => logs.push(line) });
  const browser = await launchChromium();
  try {
    const pageUrl = `http://127.0.0.1:${runtime.port}/`;
    const ann = await ChatPage.open(browser, pageUrl, { room: ROOM, name: 'Ann' });
    const ben = await ChatPage.open(browser, pageUrl, { room: ROOM, name: 'Ben' });
    await ann.page.waitForFunction(() => document.querySelector('#online')?.textContent === '2 online');

    await ann.say('@bot how do I deploy this to my account?', 20);
    await ben.waitForMessage('@bot how do I deploy this to my account?');
    await Promise.all([ann, ben].map((person) => person.waitForAnswersDone()));
    await ben.input.pressSequentially('Try **this**:');
    await ben.input.press('Shift+Enter');
    await ben.say('- `npm start`');
    await ann.page.locator('#messages > li.message.other', { hasText: 'Try this:' }).waitFor();
    await Promise.all([ann, ben].map((person) => person.waitForAnswersDone()));

    await ann.input.pressSequentially('Thanks! Trying it now', { delay: 10 });
    await ben.page.locator('#drafts .draft', { hasText: 'Thanks! Trying it now' }).waitFor();
    await ben.page.setViewportSize({ width: 900, height: 1500 });
    mkdirSync(dirname(out), { recursive: true });
    await ben.page.screenshot({ path: out });
    console.log(`Wrote ${out}`);
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
