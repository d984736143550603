import type { ConnectionsStore } from '../shared/connections-store';
import type { EventBus } from '../shared/event-bus';
import { logger } from '../shared/logger';
import type { NameClaims } from './name-claims';
import { announcePresence } from '../shared/presence';
import type { WebSocketEvent, WebSocketResult } from '../shared/websocket-event';

/** `$disconnect`: unregisters the connection and, if it was still registered, announces the departure and frees its name. */
export async function onDisconnect(
  event: WebSocketEvent,
  deps: { connections: ConnectionsStore; names: NameClaims; bus: EventBus },
): Promise<WebSocketResult> {
  const removed = await deps.connections.remove(event.requestContext.connectionId);
  if (!removed) return { statusCode: 200 };
  // Freed before the departure is announced, so whoever hears "Ann left" can be Ann. A name not freed now is freed
  // when its claim expires (connectionExpiresAt); only someone else's "Ann 2" waits for it.
  await deps.names.release(removed.name, removed).catch((error: unknown) => logger.warn('Could not release the name', { error, room: removed.room }));
  await announcePresence(deps.bus, 'leave', removed);
  return { statusCode: 200 };
}
