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

export type ActionHandler<A extends ClientFrame['action']> = (
  frame: Extract<ClientFrame, { action: A }>,
  sender: Connection,
  deps: MessageDeps,
) => Promise<void>;
