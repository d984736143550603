/**
 * The frames of wire protocol v1 (docs/protocol.md): the one description both ends share. Types and constants only, no
 * validation: the functions check what they receive with zod/mini schemas typed against these
 * (lambdas/shared/protocol), the page with its own lenient decoder typed against them (web/src/protocol.ts).
 */

// ---- Client -> server (the `action` route key selects the function) ----

export interface JoinFrame {
  action: 'join';
}

export interface SendMessageFrame {
  action: 'sendMessage';
  text: string;
  /** Echoed on the broadcast and on an error, so the sender can match them to its draft. */
  clientMsgId?: string;
  /** The id of the message this one answers (a person's message or a bot answer); a reply to a bot answer asks the bot. */
  replyTo?: string;
}

/** Stops a streaming bot answer; only the person who asked it (the author of its `replyTo` question) may. */
export interface StopAnswerFrame {
  action: 'stopAnswer';
  /** The answer's id (the `id` of its `ai` frames). */
  id: string;
}

export interface TypingFrame {
  action: 'typing';
  text: string;
}

export interface HistoryRequestFrame {
  action: 'history';
  /** Only messages older than this message id. */
  before?: string;
  limit?: number;
}

export type ClientFrame = JoinFrame | SendMessageFrame | TypingFrame | HistoryRequestFrame | StopAnswerFrame;
export type ClientAction = ClientFrame['action'];

// ---- Server -> client ----

export interface Author {
  id: string;
  name: string;
}

export interface UserFrame {
  type: 'user';
  id: string;
  room: string;
  author: Author;
  text: string;
  ts: number;
  clientMsgId?: string;
  /** The id of the message it answers, when the sender gave one. */
  replyTo?: string;
}

/** Someone's draft as it is typed (empty text: the draft was cleared). */
export interface TypingBroadcast {
  type: 'typing';
  room: string;
  author: Author;
  text: string;
  ts: number;
}

/** A notice to the room, e.g. that the bot is over its budget. */
export interface NoticeFrame {
  type: 'system';
  room: string;
  event: 'notice';
  text: string;
  online: number;
}

/** `system` frames are notices only; arrivals and departures travel as one `presence` frame per batch. */
export type SystemFrame = NoticeFrame;

/**
 * When the bot answers a person's message: `addressed` only when the message mentions it (`@bot` or `@<bot name>`,
 * case-insensitive, a whole word) or replies to one of its answers; `all` every message.
 */
export const BOT_REPLIES = ['addressed', 'all'] as const;
export type BotReplies = (typeof BOT_REPLIES)[number];

/** Who the bot is in this room, so a page can show how to ask it. */
export interface BotInfo {
  name: string;
  replies: BotReplies;
}

/** `ai` `end` `stopReason` of an answer its asker stopped (`stopAnswer`); its `text` is what had streamed. */
export const STOPPED_BY_ASKER = 'stopped';

export const TARGET_NAMES = ['bedrock', 'llama', 'offline'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** A retrieved passage the answer cites as [n] (n = its position + 1). */
export interface Source {
  id: string;
  title: string;
  source: string;
  score: number;
  snippet: string;
}

/** The bot starts answering `replyTo`; `target`/`model` say who answers. */
export interface AiStart {
  type: 'ai';
  state: 'start';
  id: string;
  room: string;
  replyTo: string;
  target: TargetName;
  model: string;
  ts: number;
}

/**
 * The next chunk of the answer: concatenating every delta of an id in `seq` order gives the `end` text. Fanout joins
 * consecutive deltas of one batch into one, which then carries `seqEnd`, the last seq it holds.
 */
export interface AiDelta {
  type: 'ai';
  state: 'delta';
  id: string;
  room: string;
  seq: number;
  seqEnd?: number;
  text: string;
}

/** The whole answer, so a client that missed deltas can repair; also what history keeps. */
export interface AiEnd {
  type: 'ai';
  state: 'end';
  id: string;
  room: string;
  replyTo: string;
  target: TargetName;
  model: string;
  text: string;
  usage?: Usage;
  /** From the question being sent to the answer's first token. */
  firstTokenMs: number;
  /**
   * Why it ended: the model's own value when it finished (e.g. `end_turn`, `stop`), `max_tokens`/`length`/`max_length`
   * when it reached the maximum length, `stopped` (STOPPED_BY_ASKER) when its asker stopped it.
   */
  stopReason?: string;
  sources?: Source[];
  ts: number;
}

/** The answer failed; `text` keeps what had been streamed. Also what history keeps. */
export interface AiError {
  type: 'ai';
  state: 'error';
  id: string;
  room: string;
  replyTo: string;
  code: string;
  message: string;
  text: string;
  target?: TargetName;
  model?: string;
  ts: number;
}

export type AiFrame = AiStart | AiDelta | AiEnd | AiError;

/** Frames that travel on the bus and are broadcast to a room. */
export type BroadcastFrame = UserFrame | TypingBroadcast | SystemFrame | AiFrame;

/** What room history holds: people's messages and the bot's final answers. */
export type HistoryMessage = UserFrame | AiEnd | AiError;

export interface WelcomeFrame {
  type: 'welcome';
  you: Author;
  room: string;
  online: number;
  /** Who is online, at most LIMITS.welcomeMembersMax of them. */
  members: Author[];
  /** The newest messages, oldest first: up to LIMITS.welcomeHistoryLength, as many as fit the frame in one message. */
  history: HistoryMessage[];
  /** Whether older messages remain; `cursor` then asks for them (`history` with `before`). */
  hasMore: boolean;
  cursor?: string;
  /** The bot's name and when it answers. Always sent by the server (optional only for decoders of older servers). */
  bot?: BotInfo;
}

/** Who arrived and who left during one fanout batch, and how many are online after it. At most one per batch. */
export interface PresenceFrame {
  type: 'presence';
  room: string;
  joined: Author[];
  left: Author[];
  online: number;
}

/** Everything one fanout batch holds for a room, in stream order, as one WebSocket message. Never nested. */
export interface BatchFrame {
  type: 'batch';
  frames: DeliveredFrame[];
}

export interface HistoryFrame {
  type: 'history';
  room: string;
  messages: HistoryMessage[];
  hasMore: boolean;
  /** With `hasMore`: the `before` of the next older page. */
  cursor?: string;
}

export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  /** The action that failed, when the frame named a valid one. */
  action?: string;
  /** Echoed from the failed `sendMessage`, so a client can mark that draft as not sent. */
  clientMsgId?: string;
  /** With `rate_limited`: how long to wait before the same action is accepted again. */
  retryAfterMs?: number;
}

/** What fanout delivers to a room, alone or inside a `batch`. */
export type DeliveredFrame = BroadcastFrame | PresenceFrame;

export type ServerFrame = DeliveredFrame | BatchFrame | WelcomeFrame | HistoryFrame | ErrorFrame;
