import type { Connection } from './connections-store';
import type { EventBus } from './event-bus';

/**
 * Announces that someone joined or left. Whoever removes a connection announces its leave (the $disconnect handler
 * or fanout on a 410), so a leave is announced once. Fanout folds a batch's arrivals and departures into one
 * `presence` frame per room and keeps its member list current from these records.
 */
export async function announcePresence(bus: EventBus, event: 'join' | 'leave', connection: Connection): Promise<void> {
  const { connectionId, userId, name, connectedAt, room } = connection;
  await bus.publish({
    v: 1,
    room,
    frame: { type: 'member', room, event, member: { connectionId, userId, name, connectedAt } },
    // The person joining learns who is here from `welcome`; and API Gateway refuses posts during $connect.
    exclude: event === 'join' ? connectionId : undefined,
  });
}
