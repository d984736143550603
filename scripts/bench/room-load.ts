import { BenchClient } from './bench-client';
import { percentile, sleep, waitUntil } from './stats';

export interface Sent {
  text: string;
  at: number;
  from: BenchClient;
}

export interface LoadPlan {
  tag: string;
  senders: readonly BenchClient[];
  typists: readonly BenchClient[];
  messagesPerSecond: number;
  durationMs: number;
  /** A typist sends its whole draft this often. */
  draftEveryMs: number;
  /** Every this-many-th message asks the bot (`@bot ...`); the others are ordinary chat it never sees. @default none */
  askBotEvery?: number;
}

export interface LoadSent {
  messages: Sent[];
  drafts: Sent[];
  /** The last draft of each typist, which every other listener must end up with. */
  finalDrafts: Sent[];
}

/** Connects `count` listeners to a room, `spreadMs` apart in all, and waits (bounded) for each welcome. */
export async function connectListeners(url: string, room: string, prefix: string, count: number, spreadMs: number, offset = 0): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  const gap = count > 1 ? spreadMs / count : 0;
  for (let i = 0; i < count; i += 1) {
    const client = new BenchClient(`${url}?room=${room}&name=${prefix}${offset + i}`);
    clients.push(client);
    void client.opened(30_000).then((open) => open && client.send({ action: 'join' }));
    if (gap > 0) await sleep(gap);
  }
  await waitUntil(() => clients.every((client) => client.welcomedAt !== undefined), 30_000, 50);
  return clients;
}

/** Sends messages at a steady rate and drafts from each typist, for a bounded time. */
export async function driveLoad(plan: LoadPlan): Promise<LoadSent> {
  const sent: LoadSent = { messages: [], drafts: [], finalDrafts: [] };
  const started = performance.now();
  const messageGap = 1000 / plan.messagesPerSecond;
  let nextMessage = started;
  let nextDraft = started;
  let k = 0;
  let d = 0;
  while (performance.now() - started < plan.durationMs) {
    const now = performance.now();
    if (now >= nextMessage && plan.senders.length > 0) {
      const from = plan.senders[k % plan.senders.length] as BenchClient;
      const asks = plan.askBotEvery !== undefined && k % plan.askBotEvery === 0;
      const text = `${asks ? '@bot ' : ''}${plan.tag} m${k}`;
      k += 1;
      sent.messages.push({ text, at: performance.now(), from });
      from.send({ action: 'sendMessage', text });
      nextMessage += messageGap;
    }
    if (now >= nextDraft && plan.typists.length > 0) {
      d += 1;
      for (const [i, from] of plan.typists.entries()) {
        const text = `${plan.tag} d${i}-${d}`;
        sent.drafts.push({ text, at: performance.now(), from });
        from.send({ action: 'typing', text });
      }
      nextDraft += plan.draftEveryMs;
    }
    await sleep(Math.max(1, Math.min(nextMessage, nextDraft) - performance.now()));
  }
  for (const [i, from] of plan.typists.entries()) {
    const text = `${plan.tag} d${i}-final`;
    const draft = { text, at: performance.now(), from };
    sent.drafts.push(draft);
    sent.finalDrafts.push(draft);
    from.send({ action: 'typing', text });
  }
  return sent;
}

export interface Delivery {
  latencies: number[];
  missing: number;
}

/** Every listener must get every message (the sender too). Waits up to `waitMs` for stragglers. */
export async function messageDelivery(listeners: readonly BenchClient[], messages: readonly Sent[], waitMs: number): Promise<Delivery> {
  await waitUntil(() => listeners.every((client) => messages.every((message) => client.messages.has(message.text))), waitMs, 50);
  const latencies: number[] = [];
  let missing = 0;
  for (const message of messages) {
    for (const client of listeners) {
      const at = client.messages.get(message.text);
      if (at === undefined) missing += 1;
      else latencies.push(at - message.at);
    }
  }
  return { latencies, missing };
}

/** Drafts are superseded, so only each typist's last one must reach every other listener; every arrival is timed. */
export async function draftDelivery(listeners: readonly BenchClient[], sent: LoadSent, waitMs: number): Promise<Delivery> {
  const reached = (draft: Sent) => listeners.every((client) => client === draft.from || client.drafts.has(draft.text));
  await waitUntil(() => sent.finalDrafts.every(reached), waitMs, 50);
  const latencies: number[] = [];
  for (const draft of sent.drafts) {
    for (const client of listeners) {
      const at = client === draft.from ? undefined : client.drafts.get(draft.text);
      if (at !== undefined) latencies.push(at - draft.at);
    }
  }
  const missing = sent.finalDrafts.reduce((sum, draft) => sum + listeners.filter((client) => client !== draft.from && !client.drafts.has(draft.text)).length, 0);
  return { latencies, missing };
}

export function summary(values: readonly number[]): string {
  if (values.length === 0) return '     -        -';
  return `${percentile(values, 50).toFixed(0).padStart(6)} ${percentile(values, 99).toFixed(0).padStart(8)}`;
}
