import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ChatClient, userMessage } from '../support/chat-client';
import { startLocalChat, type LocalChat } from '../support/local-chat';
import { WAIT_LIMIT_MS } from '../support/wait-limit';

/** The README's wscat instructions, run for real: wscat as a child process, with its stdin held open. */

const WSCAT = join(__dirname, '../../node_modules/.bin/wscat');
let chat: LocalChat;

beforeAll(async () => {
  chat = await startLocalChat();
});

afterAll(async () => {
  await chat.dispose();
});

/**
 * Runs `wscat -c URL -x FRAME -w SECONDS` and returns what it printed once a line holding `until` is out (then wscat is
 * stopped), or whatever it printed by the time it exits on its own: no fixed wait for the reply.
 */
function wscat(url: string, frame: string, until: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const waitSeconds = Math.floor(WAIT_LIMIT_MS / 1000);
    const child = spawn(WSCAT, ['-c', url, '-x', frame, '-w', String(waitSeconds)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      // Only a whole line counts: a frame may arrive in pieces.
      if (output.split('\n').slice(0, -1).some((line) => line.includes(until))) child.kill();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    // wscat exits before any reply arrives when its stdin is closed; keep it open until it is done.
    child.on('error', reject);
    child.on('close', () => {
      child.stdin.end();
      resolve(output);
    });
  });
}

it('joins with wscat and reads the welcome', async () => {
  const output = await wscat(`${chat.webSocketUrl}?room=wscat&name=Terminal`, '{"action":"join"}', '"welcome"');

  const welcome = JSON.parse(output.trim().split('\n').find((line) => line.includes('"welcome"')) ?? '{}') as Record<string, unknown>;
  expect(welcome).toMatchObject({ type: 'welcome', room: 'wscat', you: { name: 'Terminal' } });
});

it('sends a message with wscat that everyone in the room sees', async () => {
  const { client: listener } = await ChatClient.join(chat.webSocketUrl, { room: 'lobby', name: 'Listener' });

  const output = await wscat(`${chat.webSocketUrl}/prod?room=lobby`, '{"action":"sendMessage","text":"hi from wscat"}', '"text":"hi from wscat"');
  const atListener = await listener.next(userMessage('hi from wscat'));

  expect(output).toContain('"text":"hi from wscat"');
  expect(atListener).toMatchObject({ type: 'user', room: 'lobby', text: 'hi from wscat' });
  await listener.close();
});

it('shows a refused handshake as its status code, which says why (docs/protocol.md)', async () => {
  const badName = await wscat(`${chat.webSocketUrl}?room=wscat&name=${encodeURIComponent('Bot')}`, '{"action":"join"}', 'Unexpected server response');
  const badRoom = await wscat(`${chat.webSocketUrl}?room=NOT-A-ROOM`, '{"action":"join"}', 'Unexpected server response');

  expect(badName).toContain('error: Unexpected server response: 422');
  expect(badRoom).toContain('error: Unexpected server response: 400');
});
