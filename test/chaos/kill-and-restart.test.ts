// Chaos: `npm start` killed with SIGKILL in the middle of an answer and of a flood, and started again on the same data
// folder. Acknowledged messages are kept exactly once, a started answer ends exactly once, presence is exact.
// The phases run in order on one data folder: A (bot on) is killed mid-answer, B (bot on) mid-flood, C checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatClient, userMessage, type Frame } from '../support/chat-client';
import { startRuntimeProcess, type RuntimeProcess } from '../support/runtime-process';
import { WAIT_LIMIT_MS } from '../support/wait-limit';

/** A real flood: far above the default 5 a second, 10 back to back, so no message is refused for its rate. */
const FLOOD_SETTINGS = { MESSAGE_RATE_PER_SECOND: '1000', MESSAGE_BURST: '10000' } as const;
const FLOODERS = ['Fa', 'Fb', 'Fc'] as const;
const MESSAGES_EACH = 150;
/** The kill comes once the first flooder's own echo of this message is back: mid-flood, by an event. */
const KILL_AFTER_ECHO_OF = 40;
const POLL_INTERVAL_MS = 200;

let dataDir: string;
const processes: RuntimeProcess[] = [];
const clients: ChatClient[] = [];

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'chat-chaos-'));
});

afterAll(async () => {
  for (const client of clients) client.socket.terminate();
  for (const runtime of processes) await runtime.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<RuntimeProcess> {
  const runtime = await startRuntimeProcess(dataDir, { ...FLOOD_SETTINGS, ...env });
  processes.push(runtime);
  return runtime;
}

async function joinRoom(runtime: RuntimeProcess, room: string, name: string): Promise<{ client: ChatClient; welcome: Frame }> {
  const joined = await ChatClient.join(runtime.webSocketUrl, { room, name });
  clients.push(joined.client);
  return joined;
}

/** Every message of the room's history, oldest first, by following `cursor` until `hasMore` is false. */
async function wholeHistory(client: ChatClient): Promise<Frame[]> {
  const pages: Frame[][] = [];
  let before: unknown;
  for (let page = 0; page < 1000; page += 1) {
    const answered = new Set(client.ofType('history'));
    client.send({ action: 'history', limit: 100, ...(before === undefined ? {} : { before }) });
    const history = await client.next((frame) => frame.type === 'history' && !answered.has(frame));
    pages.unshift(history.messages as Frame[]);
    if (history.hasMore !== true) return pages.flat();
    before = history.cursor;
  }
  throw new Error('History did not end within 1000 pages');
}

/** Polls the room's whole history until `done` holds for it: bounded in attempts and time, failing with what it saw. */
async function historyWhen(client: ChatClient, done: (messages: Frame[]) => boolean, what: string): Promise<Frame[]> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let messages: Frame[] = [];
  for (let attempt = 0; attempt < 500 && Date.now() < deadline; attempt += 1) {
    messages = await wholeHistory(client);
    if (done(messages)) return messages;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`History never showed ${what}; last seen: ${JSON.stringify(messages)}`);
}

const isFinal = (frame: Frame) => frame.type === 'ai' && (frame.state === 'end' || frame.state === 'error');
const countBy = <T>(items: readonly T[]): Map<T, number> => {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
};
const repeated = <T>(items: readonly T[]) => [...countBy(items)].filter(([, count]) => count > 1).map(([item]) => item);

let question: Frame;
let answerStart: Frame;
let floodAcks: Frame[] = [];
let afterFlood: RuntimeProcess;

it('killed mid-answer: after the restart the answer ends exactly once, and the question is not answered again', async () => {
  const first = await start();
  const { client: asker } = await joinRoom(first, 'ask', 'Ann');
  asker.send({ action: 'sendMessage', text: '@bot What is a Kinesis shard?', clientMsgId: 'q-1' });
  question = await asker.next((frame) => frame.type === 'user' && frame.clientMsgId === 'q-1');
  answerStart = await asker.next((frame) => frame.type === 'ai' && frame.state === 'start' && frame.replyTo === question.id);
  await first.kill();
  const endedBeforeKill = asker.frames.some((frame) => isFinal(frame) && frame.id === answerStart.id);

  // Its answers (the redelivered question's close, the barrier) need not stream at the shipped pace.
  const second = await start({ BOT_OFFLINE_DELAY_MS: '1' });
  const { client: reader } = await joinRoom(second, 'ask', 'Bea');
  const closed = (messages: Frame[]) => messages.some((frame) => isFinal(frame) && frame.id === answerStart.id);
  await historyWhen(reader, closed, `a final frame for answer ${String(answerStart.id)}`);
  // A barrier by events: a later question in the same room is answered after the redelivered one was handled.
  reader.send({ action: 'sendMessage', text: '@bot And a second question?', clientMsgId: 'q-2' });
  const barrier = await reader.next((frame) => frame.type === 'user' && frame.clientMsgId === 'q-2');
  await reader.next((frame) => isFinal(frame) && frame.replyTo === barrier.id);
  const history = await wholeHistory(reader);

  const finals = history.filter((frame) => isFinal(frame) && frame.id === answerStart.id);
  expect(finals).toHaveLength(1);
  // Killed while it streamed, it is closed with `interrupted`; had it ended before the kill, its `end` stands alone.
  expect(finals[0]).toMatchObject(endedBeforeKill ? { state: 'end' } : { state: 'error', code: 'interrupted', replyTo: question.id });
  expect(history.filter((frame) => frame.type === 'ai' && frame.replyTo === question.id).map((frame) => frame.id)).toStrictEqual([answerStart.id]);
  expect(history.filter((frame) => frame.type === 'user' && frame.id === question.id)).toHaveLength(1);
  afterFlood = second;
}, 240_000);

it('killed mid-flood: after the restart every acknowledged message is in history exactly once', async () => {
  const runtime = afterFlood;
  const flooders = await Promise.all(FLOODERS.map((name) => joinRoom(runtime, 'flood', name)));
  for (let index = 0; index < MESSAGES_EACH; index += 1) {
    for (const [at, { client }] of flooders.entries()) client.send({ action: 'sendMessage', text: `${FLOODERS[at]} says ${index}`, clientMsgId: `${FLOODERS[at]}-${index}` });
  }
  const [gate] = flooders;
  await gate!.client.next((frame) => frame.type === 'user' && frame.clientMsgId === `${FLOODERS[0]}-${KILL_AFTER_ECHO_OF}`);
  await runtime.kill();

  // Acknowledged: the sender got its own echo before the process died.
  floodAcks = flooders.flatMap(({ client, welcome }) =>
    client.ofType('user').filter((frame) => (frame.author as { id: string }).id === (welcome.you as { id: string }).id && typeof frame.clientMsgId === 'string'),
  );
  const refused = flooders.flatMap(({ client }) => client.ofType('error'));
  expect(refused).toStrictEqual([]);
  expect(floodAcks.length).toBeGreaterThan(KILL_AFTER_ECHO_OF);
  // Mid-flood: not everything sent was acknowledged (else the kill came after the flood, and proves less).
  expect(floodAcks.length).toBeLessThan(FLOODERS.length * MESSAGES_EACH);

  const restarted = await start({ BOT_ANSWERS_PER_ROOM_PER_MINUTE: '0' });
  const { client: checker } = await joinRoom(restarted, 'flood', 'Gil');
  const ackedIds = new Set(floodAcks.map((frame) => frame.clientMsgId));
  const allAcked = (messages: Frame[]) => {
    const kept = new Set(messages.map((frame) => frame.clientMsgId));
    return [...ackedIds].every((id) => kept.has(id));
  };
  await historyWhen(checker, allAcked, `all ${ackedIds.size} acknowledged messages`);
  // Fanout has caught up with the room once a message sent now comes back: the room is delivered in stream order.
  checker.send({ action: 'sendMessage', text: 'caught up?', clientMsgId: 'barrier' });
  await checker.next(userMessage('caught up?'));
  const history = (await wholeHistory(checker)).filter((frame) => frame.type === 'user');

  expect(repeated(history.map((frame) => frame.id))).toStrictEqual([]);
  expect(repeated(history.map((frame) => frame.clientMsgId))).toStrictEqual([]);
  const kept = new Map(history.map((frame) => [frame.clientMsgId, frame]));
  for (const ack of floodAcks) expect(kept.get(ack.clientMsgId)).toStrictEqual(ack);
  // Nothing in history that nobody sent: every kept flood message is one of those sent, with its own text.
  for (const frame of history.filter((message) => message.clientMsgId !== 'barrier')) {
    const [name, index] = String(frame.clientMsgId).split('-');
    expect(frame.text).toBe(`${name} says ${index}`);
  }
}, 240_000);

it('after the kills, presence counts exactly the clients connected since the restart', async () => {
  // The three flooders died with the process mid-flood; the checker of the previous test is still connected.
  const restarted = processes.at(-1)!;
  const joined = [await joinRoom(restarted, 'flood', 'Hal'), await joinRoom(restarted, 'flood', 'Ivy')];
  const { welcome } = joined.at(-1)!;
  const hal = joined[0]!.welcome.you;
  expect(welcome.online).toBe(3);
  expect((welcome.members as Frame[]).map((member) => member.name).sort()).toStrictEqual(['Gil', 'Hal', 'Ivy']);
  expect(welcome.members).toEqual(expect.arrayContaining([hal, welcome.you]));
}, 120_000);
