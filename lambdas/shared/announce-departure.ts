import type { Connection } from './connections-store';
import type { EventBus } from './event-bus';
import { logger } from './logger';
import type { NameClaims } from './name-claims';
import { announcePresence } from './presence';

/**
 * What follows removing a connection's row, whoever removed it ($disconnect, or fanout on a 410): its name is freed,
 * then its departure announced, so whoever hears "Ann left" can be Ann. A name not freed now is freed when its claim
 * expires (connectionExpiresAt); only someone else's "Ann 2" waits for it.
 */
export async function announceDeparture(removed: Connection, deps: { names: NameClaims; bus: EventBus }): Promise<void> {
  await deps.names.release(removed.name, removed).catch((error: unknown) => logger.warn('Could not release the name', { error, room: removed.room }));
  await announcePresence(deps.bus, 'leave', removed);
}
