import type { Connection, ConnectionsStore } from '../../shared/connections-store';
import type { ConnectionPoster } from '../../shared/connection-poster';
import type { EventBus } from '../../shared/event-bus';
import type { HistoryStore } from '../../shared/history-store';
import type { ClientFrame } from '../../../contract/protocol';
import type { RateLimiter } from '../rate-limiter';

export interface MessageDeps {
  connections: ConnectionsStore;
  history: HistoryStore;
  bus: EventBus;
  poster: ConnectionPoster;
  limiter: RateLimiter;
}

/** The connection a frame came from, with the address API Gateway saw it from (never stored, never delivered). */
export type Sender = Connection & { sourceIp: string };

export type ActionHandler<A extends ClientFrame['action']> = (
  frame: Extract<ClientFrame, { action: A }>,
  sender: Sender,
  deps: MessageDeps,
) => Promise<void>;
