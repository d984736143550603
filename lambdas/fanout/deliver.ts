import { isHistoryFrame, type BusEvent } from '../shared/bus-event';
import { isRetryable, type ConnectionPoster } from '../shared/connection-poster';
import type { ConnectionsStore, RoomMember } from '../shared/connections-store';
import type { EventBus } from '../shared/event-bus';
import type { HistoryStore } from '../shared/history-store';
import { logger } from '../shared/logger';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import { announcePresence } from '../shared/presence';
import type { RoomMembers } from './room-members';

export interface DeliverDeps {
  connections: ConnectionsStore;
  history: HistoryStore;
  bus: EventBus;
  poster: ConnectionPoster;
  members: RoomMembers;
  /** Posts in flight at once for one event. */
  concurrency: number;
}

// API Gateway refuses posts to a connection until its $connect returns, so a 410 for a connection registered moments
// ago means "not ready yet", not "gone".
const GONE_GRACE_MS = 10_000;

export class DeliveryError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/**
 * Delivers one bus event: keeps it in history when it belongs there, then posts it to every connection in its room.
 * Throws a DeliveryError when a retry could succeed (the record is then reported as failed and redelivered; clients
 * drop the duplicates by id).
 */
export async function deliver(event: BusEvent, deps: DeliverDeps): Promise<void> {
  const { frame, room } = event;
  if (frame.type === 'system') deps.members.invalidate(room);
  const [members] = await Promise.all([
    deps.members.of(room),
    isHistoryFrame(frame) ? deps.history.save(frame) : undefined,
  ]);
  const recipients = members.filter((member) => member.connectionId !== event.exclude);
  const payload = JSON.stringify(frame.type === 'system' ? { ...frame, online: members.length } : frame);

  const outcomes = await mapWithConcurrency(recipients, deps.concurrency, (member) =>
    deps.poster.post(member.connectionId, payload),
  );

  const gone = recipients.filter((_, i) => outcomes[i]?.status === 'fulfilled' && outcomes[i].value === 'gone');
  await removeGone(gone, room, deps);

  const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  if (failures.length === 0) return;
  // A draft is superseded by the next keystroke: never hold the room's stream back to redeliver one.
  if (frame.type === 'typing' || !failures.some(isRetryable)) {
    logger.warn('Some posts failed and will not be retried', { room, failed: failures.length, error: failures[0] });
    return;
  }
  throw new DeliveryError(`${failures.length} of ${recipients.length} posts failed in room ${room}`, {
    cause: failures[0],
  });
}

async function removeGone(gone: RoomMember[], room: string, deps: DeliverDeps): Promise<void> {
  const stale = gone.filter((member) => Date.now() - member.connectedAt > GONE_GRACE_MS);
  if (stale.length === 0) return;
  await deps.members.drop(room, new Set(stale.map((member) => member.connectionId)));
  await Promise.all(
    stale.map(async (member) => {
      const removed = await deps.connections.remove(member.connectionId);
      logger.info('Removed a connection that is gone', { room, connectionId: member.connectionId });
      if (removed) await announcePresence(deps.bus, 'leave', removed);
    }),
  );
}
