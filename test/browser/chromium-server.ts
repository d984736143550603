// The e2e project's globalSetup: one headless Chromium for the whole run, which every browser test file connects to
// (launchChromium in ./chat-page) instead of launching its own. Its endpoint reaches the jest workers through the
// environment, which they inherit; globalTeardown (./chromium-server-stop) closes it.
import type { BrowserServer } from 'playwright-core';
import { CHROMIUM_ENDPOINT_VARIABLE, launchChromiumServer } from './chat-page';

declare global {
  var chatTestChromiumServer: BrowserServer | undefined;
}

export default async function startChromiumServer(): Promise<void> {
  const server = await launchChromiumServer();
  globalThis.chatTestChromiumServer = server;
  process.env[CHROMIUM_ENDPOINT_VARIABLE] = server.wsEndpoint();
}
