// The local runtime killed with SIGKILL (no $disconnect for anyone) and started again on the same data folder: the
// connections it had died with it, so the room must not count them as online.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatClient } from '../support/chat-client';
import { SPINE_ONLY, startLocalChat, type LocalChat } from '../support/local-chat';
import { startRuntimeProcess, type RuntimeProcess } from '../support/runtime-process';

let dataDir: string;
let child: RuntimeProcess | undefined;
let restarted: LocalChat | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'chat-restart-'));
});

afterAll(async () => {
  await child?.kill();
  await restarted?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

it('after a kill -9 and a restart, a quiet room shows only who is really online', async () => {
  const first = await startRuntimeProcess(dataDir, { BOT_ANSWERS_PER_ROOM_PER_MINUTE: SPINE_ONLY.settings?.botAnswersPerRoomPerMinute });
  child = first;
  let lastWelcome: unknown;
  for (const name of ['Ann', 'Bob', 'Cy', 'Di', 'Ed']) lastWelcome = (await ChatClient.join(first.webSocketUrl, { room: 'quiet', name })).welcome;
  expect((lastWelcome as { online: number }).online).toBe(5);
  await first.kill();
  child = undefined;

  restarted = await startLocalChat({ ...SPINE_ONLY, dataDir });
  const { client, welcome } = await ChatClient.join(restarted.webSocketUrl, { room: 'quiet', name: 'Fay' });

  expect([welcome.online, welcome.members]).toStrictEqual([1, [welcome.you]]);
  await client.close();
}, 240_000); // two start-ups, one of them in a fresh process
