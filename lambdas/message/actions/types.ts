import type { Connection, ConnectionsStore } from '../../shared/connections-store';
import type { ConnectionPoster } from '../../shared/connection-poster';
import type { EventBus } from '../../shared/event-bus';
import type { HistoryStore } from '../../shared/history-store';
import type { AnswerRequests } from '../../shared/answer-requests';
import type { BotInfo, ClientFrame } from '../../../contract/protocol';
import type { RecentRefusals } from '../admission';
import type { RateLimiter } from '../rate-limiter';

export interface MessageDeps {
  connections: ConnectionsStore;
  history: HistoryStore;
  bus: EventBus;
  poster: ConnectionPoster;
  limiter: RateLimiter;
  refusals: RecentRefusals;
  /** Requests about the bot's answers (is this an answer, stop it). */
  answers: AnswerRequests;
  /** The bot's name and when it answers (settings botName, botReplies). */
  bot: BotInfo;
}

/** What API Gateway says of the frame's arrival. */
export interface FrameRequest {
  /** The address it came from (never stored, never delivered). */
  sourceIp: string;
  /**
   * When API Gateway received it (`requestTimeEpoch`, ms): the order a client sent its frames in, which concurrent
   * Lambda invocations may not keep.
   */
  receivedAt: number;
}

/** The connection a frame came from, and how the frame arrived. */
export type Sender = Connection & FrameRequest;

export type ActionHandler<A extends ClientFrame['action']> = (
  frame: Extract<ClientFrame, { action: A }>,
  sender: Sender,
  deps: MessageDeps,
) => Promise<void>;
