// The local runtime killed with SIGKILL (no $disconnect for anyone) and started again on the same data folder: the
// connections it had died with it, so the room must not count them as online.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChatClient } from '../support/chat-client';
import { SPINE_ONLY, startLocalChat, type LocalChat } from '../support/local-chat';

const ROOT = resolve(__dirname, '../..');
let dataDir: string;
let child: ChildProcess | undefined;
let restarted: LocalChat | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'chat-restart-'));
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await restarted?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start` as its own process (one process: node with tsx's loader), resolving with its WebSocket URL. */
function startRuntimeProcess(): Promise<{ process: ChildProcess; webSocketUrl: string }> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, BOT_ANSWERS_PER_ROOM_PER_MINUTE: SPINE_ONLY.settings?.botAnswersPerRoomPerMinute },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((done, fail) => {
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /websocket:\s+(ws:\/\/\S+)/.exec(output)?.[1];
      if (url) done({ process: started, webSocketUrl: url });
    });
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.once('exit', (code) => fail(new Error(`The runtime exited with ${code} before it was ready:\n${output}`)));
  });
}

it('after a kill -9 and a restart, a quiet room shows only who is really online', async () => {
  const first = await startRuntimeProcess();
  child = first.process;
  let lastWelcome: unknown;
  for (const name of ['Ann', 'Bob', 'Cy', 'Di', 'Ed']) lastWelcome = (await ChatClient.join(first.webSocketUrl, { room: 'quiet', name })).welcome;
  expect((lastWelcome as { online: number }).online).toBe(5);
  const exited = new Promise((done) => first.process.once('exit', done));
  first.process.kill('SIGKILL');
  await exited;
  child = undefined;

  restarted = await startLocalChat({ ...SPINE_ONLY, dataDir });
  const { client, welcome } = await ChatClient.join(restarted.webSocketUrl, { room: 'quiet', name: 'Fay' });

  expect([welcome.online, welcome.members]).toStrictEqual([1, [welcome.you]]);
  await client.close();
}, 240_000); // two start-ups, one of them in a fresh process
