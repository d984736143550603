// The e2e project's globalTeardown: closes the Chromium that ./chromium-server started for the run.
import { CHROMIUM_ENDPOINT_VARIABLE } from './chat-page';

export default async function stopChromiumServer(): Promise<void> {
  await globalThis.chatTestChromiumServer?.close();
  globalThis.chatTestChromiumServer = undefined;
  delete process.env[CHROMIUM_ENDPOINT_VARIABLE];
}
