import type { Connection } from './connections-store';
import type { EventBus } from './event-bus';

/**
 * Announces that someone joined or left. Whoever removes a connection announces its leave (the $disconnect handler
 * or fanout on a 410), so a leave is announced once. `online` is filled in by fanout.
 */
export async function announcePresence(bus: EventBus, event: 'join' | 'leave', connection: Connection): Promise<void> {
  await bus.publish({
    v: 1,
    room: connection.room,
    frame: { type: 'system', room: connection.room, event, name: connection.name, online: 0 },
    // The person joining learns the count from `welcome`; and API Gateway refuses posts during $connect.
    exclude: event === 'join' ? connection.connectionId : undefined,
  });
}
