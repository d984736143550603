import { announceDeparture } from '../shared/announce-departure';
import type { ConnectionsStore } from '../shared/connections-store';
import type { EventBus } from '../shared/event-bus';
import type { NameClaims } from '../shared/name-claims';
import type { WebSocketEvent, WebSocketResult } from '../shared/websocket-event';

/** `$disconnect`: unregisters the connection and, if it was still registered, announces the departure and frees its name. */
export async function onDisconnect(
  event: WebSocketEvent,
  deps: { connections: ConnectionsStore; names: NameClaims; bus: EventBus },
): Promise<WebSocketResult> {
  const removed = await deps.connections.remove(event.requestContext.connectionId);
  if (removed) await announceDeparture(removed, deps);
  return { statusCode: 200 };
}
