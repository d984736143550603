import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserServer, type Locator, type Page } from 'playwright-core';
import { WAIT_LIMIT_MS } from '../support/wait-limit';

/**
 * Debian's Chromium, or the binary CHROMIUM_PATH names; never a browser downloaded by Playwright. `npm test` installs
 * Debian's package first when it is missing (scripts/ensure-chromium.sh).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Screenshots for people to look at (gitignored). */
export const TEST_OUTPUT_DIR = join(__dirname, '../../test-output');

/**
 * Where the e2e run's one shared Chromium listens (test/browser/chromium-server.ts, the e2e project's globalSetup).
 * A launch and a close in each test file cost 0.35-0.45 s of it (a connection and a disconnection: 0.06 s).
 */
export const CHROMIUM_ENDPOINT_VARIABLE = 'CHAT_TEST_CHROMIUM_WS_ENDPOINT';

/** The flags for machines without a display, a GPU or a user namespace sandbox. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function chromiumExecutable(): string {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}: run them through \`npm test\`, which installs Debian's ` +
        'chromium when it is missing (scripts/ensure-chromium.sh), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return CHROMIUM_PATH;
}

/** Launches headless Chromium as a server that test files connect to (one for the whole e2e run). */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
}

/**
 * Headless Chromium for one test file: a connection to the run's shared Chromium when there is one, else a Chromium
 * of its own (a file run with another jest config). Each file works in its own browser contexts either way, and
 * `close()` closes the contexts it opened (and a Chromium it launched).
 */
export async function launchChromium(): Promise<Browser> {
  const endpoint = process.env[CHROMIUM_ENDPOINT_VARIABLE];
  if (endpoint) return chromium.connect(endpoint);
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
}

export function screenshotPath(name: string): string {
  mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
  return join(TEST_OUTPUT_DIR, name);
}

export interface OpenOptions {
  readonly room: string;
  readonly name: string;
  /** @default a desktop-sized window */
  readonly viewport?: { width: number; height: number };
  readonly colorScheme?: 'light' | 'dark';
  /** Runs before the page loads (to watch its WebSocket, install a fake clock, grant permissions...). */
  readonly beforeLoad?: (page: Page) => Promise<void> | void;
}

/**
 * One person with the chat page open in their own browser context (their own storage), recording every dialog the
 * page tried to open and every uncaught page error, so a test can assert that nothing ran.
 */
export class ChatPage {
  public readonly dialogs: string[] = [];
  public readonly errors: string[] = [];

  private constructor(
    public readonly context: BrowserContext,
    public readonly page: Page,
  ) {
    page.on('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  /** Opens `baseUrl?room=&name=` and waits until the room has welcomed the page. */
  public static async open(browser: Browser, baseUrl: string, options: OpenOptions): Promise<ChatPage> {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1000, height: 720 },
      colorScheme: options.colorScheme ?? 'light',
      reducedMotion: 'reduce',
    });
    const chatPage = new ChatPage(context, await context.newPage());
    const url = new URL(baseUrl);
    url.searchParams.set('room', options.room);
    url.searchParams.set('name', options.name);
    await options.beforeLoad?.(chatPage.page);
    await chatPage.page.goto(url.href);
    await chatPage.waitOnline();
    return chatPage;
  }

  public get input(): Locator {
    return this.page.locator('#text');
  }

  public connectionState(): Promise<string | undefined> {
    return this.page.locator('#connection').evaluate((element) => (element as HTMLElement).dataset.state);
  }

  public async waitOnline(timeout = WAIT_LIMIT_MS): Promise<void> {
    await this.page.locator('#connection[data-state="online"]').waitFor({ timeout });
  }

  /** Types like a person (key by key) and sends with Enter. */
  public async say(text: string, delayMs = 0): Promise<void> {
    await this.input.pressSequentially(text, { delay: delayMs });
    await this.input.press('Enter');
  }

  /** The people's messages (not the bot's), as [author, text] in page order. */
  public userMessages(): Promise<[string, string][]> {
    return this.page.$$eval('#messages > li.message:not(.bot)', (items) =>
      items.map((item) => [
        item.querySelector('.author')?.textContent ?? '',
        (item.querySelector('.body') as HTMLElement | null)?.innerText ?? '',
      ]),
    );
  }

  /** How many people's messages read exactly `text`. */
  public async count(text: string): Promise<number> {
    return (await this.userMessages()).filter(([, body]) => body === text).length;
  }

  /** Waits until exactly one message of the people reads `text` and returns its element. */
  public async waitForMessage(text: string, timeout = WAIT_LIMIT_MS): Promise<Locator> {
    await this.page.waitForFunction(
      (wanted) =>
        Array.from(document.querySelectorAll<HTMLElement>('#messages > li.message:not(.bot):not(.pending) .body')).some(
          (body) => body.innerText === wanted,
        ),
      text,
      { timeout },
    );
    return this.page.locator('#messages > li.message:not(.bot):not(.pending)').filter({
      has: this.page.locator('.body', { hasText: text }),
    });
  }

  /** Waits until no bot answer is still streaming and no "thinking" waits for one. */
  public async waitForAnswersDone(timeout = WAIT_LIMIT_MS): Promise<void> {
    await this.page.waitForFunction(() => document.querySelectorAll('#messages > li.bot.streaming, li.thinking-placeholder').length === 0, undefined, {
      timeout,
    });
  }

  /** Every message id in the list, in page order (to prove there are no duplicates). */
  public ids(): Promise<string[]> {
    return this.page.$$eval('#messages > li[data-id]', (items) => items.map((item) => (item as HTMLElement).dataset.id ?? ''));
  }

  public close(): Promise<void> {
    return this.context.close();
  }
}
