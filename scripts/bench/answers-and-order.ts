import { assembled, isObject, type BenchClient } from './bench-client';
import type { Delivery } from './room-load';
import type { StreamTap } from './stream-tap';
import { waitUntil } from './stats';

/**
 * Every answer any listener saw must end at every listener with its deltas adding up to the end text exactly once;
 * each delta is timed from when the bot put it on the stream (a merged delta times each seq it covers).
 */
export async function answerDelivery(listeners: readonly BenchClient[], tap: StreamTap, waitMs: number): Promise<Delivery & { answers: number }> {
  const ids = () => new Set(listeners.flatMap((client) => [...client.answers.keys()]));
  await waitUntil(() => [...ids()].every((id) => listeners.every((client) => client.answers.get(id)?.endText !== undefined)), waitMs, 100);
  const latencies: number[] = [];
  let missing = 0;
  const all = ids();
  for (const id of all) {
    for (const client of listeners) {
      const answer = client.answers.get(id);
      if (!answer || answer.endText === undefined || (answer.texts.size > 0 && assembled(answer) !== answer.endText)) {
        missing += 1;
        continue;
      }
      for (const arrival of answer.arrivals) {
        for (let seq = arrival.seq; seq <= arrival.seqEnd; seq += 1) {
          const putAt = tap.deltaPutAt.get(`${id}:${seq}`);
          if (putAt !== undefined) latencies.push(arrival.at - putAt);
        }
      }
    }
  }
  return { latencies, missing, answers: all.size };
}

/**
 * Live order = history order for people's messages: the ids one listener received live, against the room's history
 * paged back (at most 10 pages) until it covers them. (An answer sorts in history right after the question it
 * answers, its id being derived from the question's, so it is not compared with when it streamed.) Returns a verdict.
 */
export async function checkOrder(client: BenchClient): Promise<string> {
  const live = client.liveOrder;
  if (live.length === 0) return 'nothing to compare';
  const history: string[] = [];
  let before: string | undefined;
  for (let page = 0; page < 10; page += 1) {
    const reply = client.next((frame) => frame.type === 'history', 10_000);
    client.send({ action: 'history', limit: 100, ...(before ? { before } : {}) });
    const frame = await reply;
    if (!frame) return 'history did not answer';
    const messages = Array.isArray(frame.messages) ? frame.messages.filter(isObject).map((message) => String(message.id)) : [];
    history.unshift(...messages);
    before = messages[0];
    if (frame.hasMore !== true || !before || live.every((id) => history.includes(id))) break;
  }
  const inHistory = new Set(history);
  const inLive = new Set(live);
  const liveKept = live.filter((id) => inHistory.has(id));
  const historyKept = history.filter((id) => inLive.has(id));
  const mismatch = liveKept.findIndex((id, i) => historyKept[i] !== id);
  const absent = live.length - liveKept.length;
  if (mismatch >= 0) return `DIFFERENT at position ${mismatch} of ${liveKept.length} (live ${liveKept[mismatch]}, history ${historyKept[mismatch]})`;
  return `same (${liveKept.length} compared${absent > 0 ? `, ${absent} live ids not in history` : ''})`;
}
