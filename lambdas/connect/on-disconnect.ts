import type { ConnectionsStore } from '../shared/connections-store';
import type { EventBus } from '../shared/event-bus';
import { announcePresence } from '../shared/presence';
import type { WebSocketEvent, WebSocketResult } from '../shared/websocket-event';

/** `$disconnect`: unregisters the connection and, if it was still registered, announces the departure. */
export async function onDisconnect(
  event: WebSocketEvent,
  deps: { connections: ConnectionsStore; bus: EventBus },
): Promise<WebSocketResult> {
  const removed = await deps.connections.remove(event.requestContext.connectionId);
  if (removed) await announcePresence(deps.bus, 'leave', removed);
  return { statusCode: 200 };
}
