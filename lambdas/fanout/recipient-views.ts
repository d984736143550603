import type { BusEvent } from '../shared/bus-event';
import type { RoomMember } from '../shared/connections-store';
import { encodePayloads } from './encode-payloads';
import { mergeFrames } from './merge-frames';

export interface RecipientView {
  /** The WebSocket messages this member gets (usually one). */
  payloads: string[];
  /** Positions (in the room's events) of what this member gets, to know what a failed post left undelivered. */
  visible: readonly number[];
}

/**
 * What each member sees of a room's batch: everything, except frames that exclude them (their own drafts, their own
 * arrival), frames meant for someone else only (a notice to one person) and what came before their own arrival. Most members see the same thing, so each distinct view is merged
 * and encoded once and shared.
 */
export function recipientViews(events: readonly BusEvent[], members: readonly RoomMember[]): Map<string, RecipientView> {
  const hiddenFrom = new Map<string, number[]>();
  const joinedAt = new Map<string, number>();
  const onlyFor: { index: number; connectionId: string }[] = [];
  events.forEach((event, index) => {
    if (event.exclude !== undefined) hiddenFrom.set(event.exclude, [...(hiddenFrom.get(event.exclude) ?? []), index]);
    if (event.only !== undefined) onlyFor.push({ index, connectionId: event.only });
    if (event.frame.type === 'member' && event.frame.event === 'join') joinedAt.set(event.frame.member.connectionId, index);
  });

  const online = members.length;
  const shared = new Map<string, RecipientView>();
  const views = new Map<string, RecipientView>();
  for (const member of members) {
    const hidden = [
      ...(hiddenFrom.get(member.connectionId) ?? []),
      ...onlyFor.flatMap(({ index, connectionId }) => (connectionId === member.connectionId ? [] : [index])),
    ].sort((a, b) => a - b);
    const after = joinedAt.get(member.connectionId) ?? -1;
    const key = `${after}|${hidden.join(',')}`;
    let view = shared.get(key);
    if (!view) {
      const visible = events.flatMap((_, index) => (index > after && !hidden.includes(index) ? [index] : []));
      const frames = mergeFrames(
        visible.map((index) => (events[index] as BusEvent).frame),
        online,
      );
      view = { payloads: frames.length > 0 ? encodePayloads(frames) : [], visible };
      shared.set(key, view);
    }
    views.set(member.connectionId, view);
  }
  return views;
}
