import type { BusFrame, MemberEvent } from '../shared/bus-event';
import type { AiDelta, Author, DeliveredFrame, PresenceFrame } from '../../contract/protocol';

/**
 * What one member receives for a room's batch, in stream order, with superseded frames merged:
 * - a person's drafts (`typing`) keep only the newest (by `ts`), where it stood;
 * - an answer's deltas with consecutive seqs become one delta where the first stood: `seq` is the first, `seqEnd`
 *   the last, `text` the concatenation;
 * - arrivals and departures become one `presence` frame where the first stood (someone who came and went within the
 *   batch is in neither list), with `online` after the batch;
 * - people's messages, answers' start/end/error and notices are never merged or dropped.
 */
export function mergeFrames(frames: readonly BusFrame[], online: number): DeliveredFrame[] {
  // Newest by `ts` (when API Gateway received the draft): two drafts of one person may reach the stream out of order,
  // as concurrent message Lambdas race to put them. On a tie, the later in the stream.
  const newestDraft = new Map<string, { index: number; ts: number }>();
  frames.forEach((frame, index) => {
    if (frame.type !== 'typing') return;
    const newest = newestDraft.get(frame.author.id);
    if (!newest || frame.ts >= newest.ts) newestDraft.set(frame.author.id, { index, ts: frame.ts });
  });

  const merged: DeliveredFrame[] = [];
  const openDelta = new Map<string, AiDelta>();
  const members: MemberEvent[] = [];
  let presence: PresenceFrame | undefined;
  frames.forEach((frame, index) => {
    if (frame.type === 'typing') {
      if (newestDraft.get(frame.author.id)?.index === index) merged.push(frame);
    } else if (frame.type === 'member') {
      members.push(frame);
      if (!presence) {
        presence = { type: 'presence', room: frame.room, joined: [], left: [], online };
        merged.push(presence);
      }
    } else if (frame.type === 'system') {
      merged.push({ ...frame, online });
    } else if (frame.type === 'ai' && frame.state === 'delta') {
      const open = openDelta.get(frame.id);
      const last = open ? (open.seqEnd ?? open.seq) : undefined;
      if (open && last !== undefined && frame.seq === last + 1) {
        open.text += frame.text;
        open.seqEnd = frame.seq;
      } else {
        const delta: AiDelta = { ...frame };
        openDelta.set(frame.id, delta);
        merged.push(delta);
      }
    } else {
      if (frame.type === 'ai') openDelta.delete(frame.id);
      merged.push(frame);
    }
  });
  if (!presence) return merged;
  const { joined, left } = netPresence(members);
  if (joined.length === 0 && left.length === 0) return merged.filter((frame) => frame !== presence);
  Object.assign(presence, { joined, left });
  return merged;
}

/**
 * Arrivals and departures of the batch, one entry per connection: a connection that came and went within the batch is
 * in neither list. Netted per connection, not per person: a rename or a reload is one person's new connection
 * arriving and old one leaving, and the page (people-view.ts) counts connections per author id to tell a rename or
 * a reload from a departure.
 */
function netPresence(events: readonly MemberEvent[]): { joined: Author[]; left: Author[] } {
  const joined = new Map<string, Author>();
  const left = new Map<string, Author>();
  for (const { event, member } of events) {
    const author = { id: member.userId, name: member.name };
    if (event === 'join') joined.set(member.connectionId, author);
    else if (!joined.delete(member.connectionId)) left.set(member.connectionId, author);
  }
  return { joined: [...joined.values()], left: [...left.values()] };
}
