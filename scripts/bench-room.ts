import '../local/quiet-sdk-warning';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SETTINGS } from '../contract';
import { answerDelivery, checkOrder } from './bench/answers-and-order';
import { startHosted, type HostedServer } from './bench/runtime-process';
import type { BenchClient } from './bench/bench-client';
import { connectListeners, draftDelivery, driveLoad, messageDelivery, summary, type Delivery } from './bench/room-load';
import { percentile, sleep, waitUntil } from './bench/stats';
import { busiestThreads } from './bench/process-threads';
import { StreamTap } from './bench/stream-tap';

/**
 * `npm run bench`: a real room through the whole local path (gateway -> message Lambda -> Kinesis -> fanout ->
 * @connections), side by side with a bare `ws` broadcast server measured in the same run. Prints p50/p99
 * send-to-receive for messages, drafts and answer deltas, posts per stream record, whether every frame arrived, and
 * whether the live order matched history. Every wait is bounded: what did not arrive is counted, never waited for.
 *
 *   npm run bench                                   # all scenarios (a few minutes on 2 cores)
 *   npm run bench -- --scenario room --seconds 5    # one scenario, shorter
 *   npm run bench -- --scenario fill --listeners 200
 */
const SCENARIOS = ['room', 'flood', 'fill', 'large'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', multiple: true },
    listeners: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    'no-baseline': { type: 'boolean', default: false },
  },
});
const chosen = new Set<Scenario>((args.scenario ?? [...SCENARIOS]) as Scenario[]);
for (const name of chosen) if (!SCENARIOS.includes(name)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
const SECONDS = Number(args.seconds);
const SMALL = Number(args.listeners ?? 100);
const BIG = Number(args.listeners ?? 1000);
/**
 * A freshly started room carries its load this long, unmeasured, before a scenario measures it: environments started
 * for the joins run the message and fanout code unoptimized at first, and the first 2 s of the room scenario held all
 * its worst messages (160-277 ms, none over 170 ms after). No bot questions meanwhile: they would spend its budget.
 */
const WARM_UP_MS = 3_000;
/** Time allowed after the load stops for the last frames to arrive; later is "not delivered". */
const DELIVERY_WAIT_MS = 10_000;
const RUN = Date.now().toString(36);

const header = 'scenario                   target     N   msg p50  msg p99 draft p50 draft p99 delta p50 delta p99  posts/record  not delivered';
const rows: string[] = [];
const notes: string[] = [];

function row(scenario: string, target: string, n: number, messages: Delivery, drafts?: Delivery, deltas?: Delivery, postsPerRecord?: number): void {
  const missing = messages.missing + (drafts?.missing ?? 0) + (deltas?.missing ?? 0);
  rows.push(
    `${scenario.padEnd(24)} ${target.padEnd(8)} ${String(n).padStart(5)} ${summary(messages.latencies)}  ${summary(drafts?.latencies ?? [])}  ${summary(deltas?.latencies ?? [])}` +
      `  ${postsPerRecord === undefined ? '           -' : postsPerRecord.toFixed(1).padStart(12)}  ${missing === 0 ? '0 (all arrived)' : String(missing)}`,
  );
}

function closeAll(clients: readonly BenchClient[]): void {
  for (const client of clients) client.close();
}

interface Chat {
  runtime: HostedServer;
  tap: StreamTap;
}

/** 100 listeners, M messages/s (every 10th asks the bot), K typing, the bot answering within its budget. Returns the room's listeners. */
async function roomScenario(chat: Chat): Promise<BenchClient[]> {
  const room = `room-${RUN}`;
  const listeners = await connectListeners(chat.runtime.webSocketUrl, room, 'r', SMALL, 2_000);
  await warmUp(listeners);
  const stateBefore = await chat.runtime.state();
  const postsBefore = stateBefore.stats.posts;
  const startedAt = performance.now();
  const recordsBefore = chat.tap.records(room);
  // The bot answers only when addressed: every 10th message asks it (still more than its room budget lets through).
  const sent = await driveLoad({ tag: `${RUN}-room`, senders: listeners.slice(0, 5), typists: listeners.slice(5, 10), messagesPerSecond: 5, durationMs: SECONDS * 1000, draftEveryMs: 200, askBotEvery: 10 });
  const messages = await messageDelivery(listeners, sent.messages, DELIVERY_WAIT_MS);
  const drafts = await draftDelivery(listeners, sent, DELIVERY_WAIT_MS);
  const deltas = await answerDelivery(listeners, chat.tap, 30_000);
  const stateAfter = await chat.runtime.state();
  const posts = stateAfter.stats.posts - postsBefore;
  const records = chat.tap.records(room) - recordsBefore;
  notes.push(`room: busiest runtime threads while loaded (share of one core): ${busiestThreads(stateBefore.threads, stateAfter.threads, performance.now() - startedAt, stateAfter.pid)}`);
  row('room: 5 msg/s, 5 typing', 'chat', listeners.length, messages, drafts, deltas, posts / Math.max(1, records));
  notes.push(`room: ${sent.messages.length} messages, ${sent.drafts.length} drafts, ${deltas.answers} bot answers; ${records} stream records, ${posts} posts; live order vs history: ${await checkOrder(listeners[0] as BenchClient)}`);
  return listeners;
}

async function roomBaseline(url: string): Promise<void> {
  const listeners = await connectListeners(url, 'room', 'r', SMALL, 0);
  const sent = await driveLoad({ tag: `${RUN}-bare`, senders: listeners.slice(0, 5), typists: listeners.slice(5, 10), messagesPerSecond: 5, durationMs: SECONDS * 1000, draftEveryMs: 200 });
  row('room: 5 msg/s, 5 typing', 'bare ws', listeners.length, await messageDelivery(listeners, sent.messages, DELIVERY_WAIT_MS), await draftDelivery(listeners, sent, DELIVERY_WAIT_MS));
  closeAll(listeners);
}

/** Room B's message p99 alone, then while one client in room A floods 2,000 frames as fast as it can. */
async function floodScenario(chat: Chat, roomB: BenchClient[] | undefined): Promise<void> {
  const listeners = roomB ?? (await connectListeners(chat.runtime.webSocketUrl, `flood-b-${RUN}`, 'b', SMALL, 2_000));
  if (roomB) await settle(listeners);
  else await warmUp(listeners);
  const seconds = Math.max(3, Math.round(SECONDS / 2));
  const plan = { senders: listeners.slice(0, 5), typists: [], messagesPerSecond: 5, durationMs: seconds * 1000, draftEveryMs: 1000 };
  const calm = await phase(chat, () => driveLoad({ ...plan, tag: `${RUN}-calm` }));
  const alone = await messageDelivery(listeners, calm.result.messages, DELIVERY_WAIT_MS);
  row('flood: room B alone', 'chat', listeners.length, alone);
  const [flooder] = await connectListeners(chat.runtime.webSocketUrl, `flood-a-${RUN}`, 'f', 1, 0);
  const limited = (flooder as BenchClient).next((frame) => frame.type === 'error' && frame.code === 'rate_limited', seconds * 1000 + DELIVERY_WAIT_MS);
  const floodStartedAt = performance.now();
  const flooded = await phase(chat, () => {
    for (let i = 0; i < 2000; i += 1) (flooder as BenchClient).send({ action: 'sendMessage', text: `flood ${i}` });
    return driveLoad({ ...plan, tag: `${RUN}-flood` });
  });
  const during = await messageDelivery(listeners, flooded.result.messages, DELIVERY_WAIT_MS);
  row('flood: room B, A flooded', 'chat', listeners.length, during);
  const answer = await limited;
  notes.push(
    `flood: the flooder ${answer ? `got rate_limited (retryAfterMs ${String(answer.retryAfterMs)})` : 'did NOT get rate_limited'}; ` +
      `room B message p99 with the flood / without: ${(percentile(during.latencies, 99) / Math.max(1, percentile(alone.latencies, 99))).toFixed(2)}x (target <= 2)`,
    `flood: room B alone: ${calm.summary}`,
    `flood: room B while A floods: ${flooded.summary}`,
    `flood: room B message p99 by when it was sent (2 s slices from the flood's start): ${p99BySlice(listeners, flooded.result.messages, floodStartedAt, 2000)}`,
    `flood: room B's first messages in the flood, sent at (ms from its start): median / slowest listener (ms): ${firstMessages(listeners, flooded.result.messages, floodStartedAt, 4)}`,
  );
  flooder?.close();
}

/** p99 send-to-receive of the messages sent in each slice of a phase: a stall at one moment shows as one slice. */
function p99BySlice(listeners: readonly BenchClient[], messages: readonly { text: string; at: number }[], startedAt: number, sliceMs: number): string {
  const slices: number[][] = [];
  for (const message of messages) {
    const slice = (slices[Math.floor((message.at - startedAt) / sliceMs)] ??= []);
    for (const client of listeners) {
      const at = client.messages.get(message.text);
      if (at !== undefined) slice.push(at - message.at);
    }
  }
  return [...slices].map((latencies) => (latencies?.length ? String(Math.round(percentile(latencies, 99))) : '-')).join(' / ');
}

/** The first `count` messages of a phase, each as "sent at: median / slowest" over the listeners that received it. */
function firstMessages(listeners: readonly BenchClient[], messages: readonly { text: string; at: number }[], startedAt: number, count: number): string {
  return messages
    .slice(0, count)
    .map((message) => {
      const latencies = listeners.flatMap((client) => {
        const at = client.messages.get(message.text);
        return at === undefined ? [] : [at - message.at];
      });
      if (latencies.length === 0) return `${Math.round(message.at - startedAt)}: -`;
      return `${Math.round(message.at - startedAt)}: ${Math.round(percentile(latencies, 50))} / ${Math.round(Math.max(...latencies))}`;
    })
    .join(', ');
}

/** Runs one load phase and says what the runtime did meanwhile: busiest threads, invocations per function, posts. */
async function phase<T>(chat: Chat, load: () => Promise<T>): Promise<{ result: T; summary: string }> {
  const before = await chat.runtime.state();
  const startedAt = performance.now();
  const result = await load();
  const after = await chat.runtime.state();
  const grown = (now: Record<string, number>, then: Record<string, number>) =>
    Object.entries(now)
      .map(([name, count]) => [name.replace(/^(DynamoDB_20120810|Kinesis_20131202)\./, ''), count - (then[name] ?? 0)] as const)
      .filter(([, count]) => count > 0)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
  const wallMs = performance.now() - startedAt;
  const threads = busiestThreads(before.threads, after.threads, wallMs, after.pid);
  const cpuMs = Object.entries(after.threads).reduce((sum, [tid, ms]) => sum + ms - (before.threads[tid] ?? 0), 0);
  return {
    result,
    summary: `${(wallMs / 1000).toFixed(1)} s, runtime CPU ${(cpuMs / 1000).toFixed(1)} s (all threads); busiest ${threads}; invocations: ${grown(after.invocations, before.invocations)}; requests: ${grown(after.requests, before.requests)}`,
  };
}

/** N connections join one room over ~20 s; 5 s after the last join, one message must reach all of them. */
async function fillScenario(chat: Chat): Promise<BenchClient[]> {
  const room = `big-${RUN}`;
  const postsBefore = (await chat.runtime.state()).stats.posts;
  const started = performance.now();
  const listeners = await connectListeners(chat.runtime.webSocketUrl, room, 'p', BIG, 20_000);
  const welcomed = listeners.filter((client) => client.welcomedAt !== undefined);
  const filledMs = Math.max(...welcomed.map((client) => client.welcomedAt as number)) - started;
  await sleep(5_000);
  const fillPosts = (await chat.runtime.state()).stats.posts - postsBefore;
  const text = `${RUN}-fill check`;
  const sentAt = performance.now();
  (listeners[0] as BenchClient).send({ action: 'sendMessage', text });
  const messages = await messageDelivery(listeners, [{ text, at: sentAt, from: listeners[0] as BenchClient }], DELIVERY_WAIT_MS);
  row('fill: 1 msg after joins', 'chat', listeners.length, messages);
  const duplicates = listeners.reduce((sum, client) => sum + [...client.joinsSeen.values()].filter((count) => count > 1).length, 0);
  const presenceFrames = listeners.reduce((sum, client) => sum + client.presenceFrames, 0);
  notes.push(
    `fill: ${welcomed.length} of ${listeners.length} welcomed, the room filled in ${(filledMs / 1000).toFixed(1)} s; posts for the fill ${fillPosts} ` +
      `(${(fillPosts / listeners.length).toFixed(1)} per member: O(N) is a small constant, O(N²) grows with N); presence frames received ${presenceFrames}, duplicate joins seen ${duplicates}`,
  );
  return listeners;
}

async function largeScenario(chat: Chat, filled: BenchClient[] | undefined): Promise<void> {
  const room = `big-${RUN}`;
  const listeners = filled ?? (await connectListeners(chat.runtime.webSocketUrl, room, 'p', BIG, 20_000));
  await settle(listeners);
  const stateBefore = await chat.runtime.state();
  const postsBefore = stateBefore.stats.posts;
  const startedAt = performance.now();
  const recordsBefore = chat.tap.records(room);
  const sent = await driveLoad({ tag: `${RUN}-large`, senders: listeners.slice(0, 5), typists: [], messagesPerSecond: 2, durationMs: SECONDS * 1000, draftEveryMs: 1000 });
  const messages = await messageDelivery(listeners, sent.messages, DELIVERY_WAIT_MS);
  const stateAfter = await chat.runtime.state();
  const posts = stateAfter.stats.posts - postsBefore;
  notes.push(`large: busiest runtime threads while loaded (share of one core): ${busiestThreads(stateBefore.threads, stateAfter.threads, performance.now() - startedAt, stateAfter.pid)}`);
  row('large: 2 msg/s', 'chat', listeners.length, messages, undefined, undefined, posts / Math.max(1, chat.tap.records(room) - recordsBefore));
  notes.push(`large: live order vs history: ${await checkOrder(listeners[0] as BenchClient)}`);
  closeAll(listeners);
}

async function largeBaseline(url: string): Promise<void> {
  const listeners = await connectListeners(url, 'big', 'p', BIG, 0);
  const sent = await driveLoad({ tag: `${RUN}-bare-large`, senders: listeners.slice(0, 5), typists: [], messagesPerSecond: 2, durationMs: SECONDS * 1000, draftEveryMs: 1000 });
  row('large: 2 msg/s', 'bare ws', listeners.length, await messageDelivery(listeners, sent.messages, DELIVERY_WAIT_MS));
  closeAll(listeners);
}

/** The room scenario's load for WARM_UP_MS without the bot, then settle(). */
async function warmUp(listeners: readonly BenchClient[]): Promise<void> {
  await settle(listeners);
  await driveLoad({ tag: `${RUN}-warm-up`, senders: listeners.slice(0, 5), typists: listeners.slice(5, 10), messagesPerSecond: 5, durationMs: WARM_UP_MS, draftEveryMs: 200 });
  await settle(listeners);
}

/** Waits (bounded) until a message sent now reaches every listener: what came before (joins) is through. */
async function settle(listeners: readonly BenchClient[]): Promise<void> {
  const text = `${RUN} settle ${performance.now()}`;
  listeners[0]?.send({ action: 'sendMessage', text });
  await waitUntil(() => listeners.every((client) => client.messages.has(text)), 30_000, 50);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-room-'));
  // The runtime and the bare server each run in a process of their own, as `npm start` would: the listeners here
  // never share a thread with the server they measure.
  const runtime = await startHosted({ kind: 'runtime', dataDir, settings: { logLevel: 'ERROR' } });
  const tap = new StreamTap(runtime.kinesis.endpoint, runtime.kinesis.streamNames.events);
  await tap.start();
  const bare = args['no-baseline'] ? undefined : await startHosted({ kind: 'bare' });
  const setting = (name: keyof typeof SETTINGS) => `${SETTINGS[name].envVar}=${process.env[SETTINGS[name].envVar] ?? SETTINGS[name].defaultValue}`;
  console.log(
    `Room benchmark: local runtime vs a bare ws broadcast server, each in its own process, same run (Node ${process.versions.node}, ${availableParallelism()} cores). ` +
      `Load phases of ${SECONDS} s, after ${WARM_UP_MS / 1000} s of the same load unmeasured in a freshly joined room; the bot answers offline (${setting('botDeltaWindowMs')}, ${setting('botAnswersPerRoomPerMinute')}). ` +
      'Latencies in ms from send (deltas: from the bot putting them on the stream) to receive, over every listener. ' +
      `Load average now: ${loadavg()[0]?.toFixed(1)}.`,
  );
  const chat = { runtime, tap };
  try {
    let roomListeners: BenchClient[] | undefined;
    if (chosen.has('room')) {
      roomListeners = await roomScenario(chat);
      if (bare) await roomBaseline(bare.webSocketUrl);
    }
    if (chosen.has('flood')) await floodScenario(chat, roomListeners);
    if (roomListeners) closeAll(roomListeners);
    let filled: BenchClient[] | undefined;
    if (chosen.has('fill')) filled = await fillScenario(chat);
    if (chosen.has('large')) {
      await largeScenario(chat, filled);
      if (bare) await largeBaseline(bare.webSocketUrl);
    } else if (filled) closeAll(filled);
  } finally {
    notes.push(`load average at the end (1/5/15 min; other processes on this machine share its cores): ${loadavg().map((load) => load.toFixed(1)).join(' / ')}`);
    console.log(`\n${header}\n${rows.join('\n')}\n\n${notes.join('\n')}`);
    await tap.stop();
    await bare?.stop();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
