import { isHistoryFrame, type BusEvent } from '../shared/bus-event';
import { isRetryable, type ConnectionPoster, type PostOutcome } from '../shared/connection-poster';
import type { ConnectionsStore, RoomMember } from '../shared/connections-store';
import type { EventBus } from '../shared/event-bus';
import type { HistoryStore } from '../shared/history-store';
import { logger } from '../shared/logger';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import { recordMetric } from '../shared/metrics';
import type { NameClaims } from '../shared/name-claims';
import { recipientViews } from './recipient-views';
import { removeGone } from './remove-gone';
import { roomRoster } from './room-roster';

export interface RoomDeliveryDeps {
  connections: ConnectionsStore;
  history: HistoryStore;
  bus: EventBus;
  /** Frees the names of connections found gone. */
  names: NameClaims;
  poster: ConnectionPoster;
  /** Posts in flight at once for one room. */
  concurrency: number;
}

/**
 * Delivers one room's part of a batch: keeps what belongs in history, then sends each member ONE WebSocket message
 * carrying all of it (recipient-views.ts). Resolves with the sequence number Lambda should retry this room from, or
 * undefined when the room needs no retry: the earliest record a retryable failure left undelivered to someone.
 * Drafts are superseded by the next keystroke and never worth a retry.
 */
export async function deliverRoom(room: string, events: readonly BusEvent[], deps: RoomDeliveryDeps): Promise<string | undefined> {
  const first = events[0];
  if (!first) return undefined;
  let members: RoomMember[];
  try {
    // History first: a message is never shown live before it is kept.
    const [roster] = await Promise.all([
      roomRoster(room, events, deps.connections),
      Promise.all(events.flatMap(({ frame }) => (isHistoryFrame(frame) ? [deps.history.save(frame)] : []))),
    ]);
    members = roster;
  } catch (error) {
    logger.error('Could not prepare the room; retrying it from its first record', { error, room });
    return first.sequenceNumber;
  }

  const views = recipientViews(events, members);
  const recipients = members.filter((member) => (views.get(member.connectionId)?.payloads.length ?? 0) > 0);
  let posts = 0;
  const outcomes = await mapWithConcurrency(recipients, deps.concurrency, async (member) => {
    let outcome: PostOutcome = 'sent';
    for (const payload of views.get(member.connectionId)?.payloads ?? []) {
      posts += 1;
      outcome = await deps.poster.post(member.connectionId, payload);
      if (outcome === 'gone') break;
    }
    return outcome;
  });

  const gone = recipients.filter((_, i) => outcomes[i]?.status === 'fulfilled' && outcomes[i].value === 'gone');
  recordMetric('posts', posts);
  recordMetric('goneConnections', gone.length);
  await removeGone(gone, room, deps).catch((error: unknown) => logger.warn('Could not remove gone connections', { error, room }));

  let retryFrom: number | undefined;
  let failed = 0;
  outcomes.forEach((outcome, i) => {
    if (outcome.status !== 'rejected') return;
    failed += 1;
    if (!isRetryable(outcome.reason)) return;
    const view = views.get((recipients[i] as RoomMember).connectionId);
    const earliest = view?.visible.find((index) => events[index]?.frame.type !== 'typing');
    if (earliest !== undefined) retryFrom = Math.min(retryFrom ?? earliest, earliest);
  });
  if (failed === 0) return undefined;
  recordMetric('postFailures', failed);
  const firstFailure = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
  if (retryFrom === undefined) {
    logger.warn('Some posts failed and will not be retried', { room, failed, error: firstFailure.reason as unknown });
    return undefined;
  }
  logger.error('Some posts failed; the room will be retried', { room, failed, of: recipients.length, error: firstFailure.reason as unknown });
  return events[retryFrom]?.sequenceNumber;
}
