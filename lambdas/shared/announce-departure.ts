import type { Connection, ConnectionsStore } from './connections-store';
import type { EventBus } from './event-bus';
import { logger } from './logger';
import type { NameClaims } from './name-claims';
import { announcePresence } from './presence';

/**
 * What follows removing a connection's row, whoever removed it ($disconnect, or fanout on a 410): its name is freed,
 * then its departure announced, so whoever hears "Ann left" can be Ann. A name not freed now is freed when its claim
 * expires (connectionExpiresAt); only someone else's "Ann 2" waits for it.
 *
 * Only the remover announces, so a leave is announced once. If the announcement cannot be written, the row is put
 * back before the error goes on: the next fanout to the room then finds the connection gone (410) and announces it,
 * instead of the room showing a member who left until its members reconnect.
 */
export async function announceDeparture(removed: Connection, deps: { connections: ConnectionsStore; names: NameClaims; bus: EventBus }): Promise<void> {
  await deps.names.release(removed.name, removed).catch((error: unknown) => logger.warn('Could not release the name', { error, room: removed.room }));
  try {
    await announcePresence(deps.bus, 'leave', removed);
  } catch (error) {
    await deps.connections.register(removed).catch((putBack: unknown) => logger.error('Could not put back a departed connection', { error: putBack, room: removed.room }));
    throw error;
  }
}
