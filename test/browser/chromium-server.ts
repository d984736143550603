// The e2e project's globalSetup: one headless Chromium for the whole run, which every browser test file connects to
// (launchChromium in ./chat-page) instead of launching its own. Its endpoint reaches the jest workers through the
// environment, which they inherit; globalTeardown (./chromium-server-stop) closes it.
import type { BrowserServer } from 'playwright-core';
import { existsSync } from 'node:fs';
import { CHROMIUM_ENDPOINT_VARIABLE, CHROMIUM_PATH, launchChromiumServer } from './chat-page';

declare global {
  var chatTestChromiumServer: BrowserServer | undefined;
}

export default async function startChromiumServer(): Promise<void> {
  // Without Chromium, each browser file fails by itself with launchChromium's explanation, and the rest of the e2e
  // tier (integration, chaos) still runs.
  if (!existsSync(CHROMIUM_PATH)) return;
  const server = await launchChromiumServer();
  globalThis.chatTestChromiumServer = server;
  process.env[CHROMIUM_ENDPOINT_VARIABLE] = server.wsEndpoint();
}
