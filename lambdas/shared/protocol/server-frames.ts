import { z } from 'zod';

export const authorSchema = z.object({ id: z.string(), name: z.string() });
export type Author = z.infer<typeof authorSchema>;

export const userFrameSchema = z.object({
  type: z.literal('user'),
  id: z.string(),
  room: z.string(),
  author: authorSchema,
  text: z.string(),
  ts: z.number(),
  clientMsgId: z.string().optional(),
});

export const typingBroadcastSchema = z.object({
  type: z.literal('typing'),
  room: z.string(),
  author: authorSchema,
  text: z.string(),
  ts: z.number(),
});

/** A notice to the room, e.g. that the bot is over its budget. */
export const noticeFrameSchema = z.object({
  type: z.literal('system'),
  room: z.string(),
  event: z.literal('notice'),
  text: z.string(),
  online: z.number().int(),
});

/** `system` frames are notices only; arrivals and departures travel as one `presence` frame per batch. */
export const systemFrameSchema = noticeFrameSchema;

export const TARGET_NAMES = ['bedrock', 'llama', 'offline'] as const;

export const usageSchema = z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() });

/** A retrieved passage the answer cites as [n] (n = its position + 1). */
export const sourceSchema = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string(),
  score: z.number(),
  snippet: z.string(),
});

/** The bot starts answering `replyTo`; `target`/`model` say who answers. */
export const aiStartSchema = z.object({
  type: z.literal('ai'),
  state: z.literal('start'),
  id: z.string(),
  room: z.string(),
  replyTo: z.string(),
  target: z.enum(TARGET_NAMES),
  model: z.string(),
  ts: z.number(),
});

/**
 * The next chunk of the answer: concatenating every delta of an id in `seq` order gives the `end` text. Fanout joins
 * consecutive deltas of one batch into one, which then carries `seqEnd`, the last seq it holds.
 */
export const aiDeltaSchema = z.object({
  type: z.literal('ai'),
  state: z.literal('delta'),
  id: z.string(),
  room: z.string(),
  seq: z.number().int().positive(),
  seqEnd: z.number().int().positive().optional(),
  text: z.string(),
});

/** The whole answer, so a client that missed deltas can repair; also what history keeps. */
export const aiEndSchema = z.object({
  type: z.literal('ai'),
  state: z.literal('end'),
  id: z.string(),
  room: z.string(),
  replyTo: z.string(),
  target: z.enum(TARGET_NAMES),
  model: z.string(),
  text: z.string(),
  usage: usageSchema.optional(),
  /** From the question being sent to the answer's first token. */
  firstTokenMs: z.number(),
  /** Why it ended: the model finished, or the answer reached the maximum length. */
  stopReason: z.string().optional(),
  sources: z.array(sourceSchema).optional(),
  ts: z.number(),
});

/** The answer failed; `text` keeps what had been streamed. Also what history keeps. */
export const aiErrorSchema = z.object({
  type: z.literal('ai'),
  state: z.literal('error'),
  id: z.string(),
  room: z.string(),
  replyTo: z.string(),
  code: z.string(),
  message: z.string(),
  text: z.string(),
  target: z.enum(TARGET_NAMES).optional(),
  model: z.string().optional(),
  ts: z.number(),
});

export const aiFrameSchema = z.union([aiStartSchema, aiDeltaSchema, aiEndSchema, aiErrorSchema]);

/** Frames that travel on the bus and are broadcast to a room. */
export const broadcastFrameSchema = z.union([userFrameSchema, typingBroadcastSchema, systemFrameSchema, aiFrameSchema]);

export type UserFrame = z.infer<typeof userFrameSchema>;
export type TypingBroadcast = z.infer<typeof typingBroadcastSchema>;
export type SystemFrame = z.infer<typeof systemFrameSchema>;
export type AiFrame = z.infer<typeof aiFrameSchema>;
export type AiStart = z.infer<typeof aiStartSchema>;
export type AiDelta = z.infer<typeof aiDeltaSchema>;
export type AiEnd = z.infer<typeof aiEndSchema>;
export type AiError = z.infer<typeof aiErrorSchema>;
export type Source = z.infer<typeof sourceSchema>;
export type Usage = z.infer<typeof usageSchema>;
export type TargetName = (typeof TARGET_NAMES)[number];
export type BroadcastFrame = z.infer<typeof broadcastFrameSchema>;

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
