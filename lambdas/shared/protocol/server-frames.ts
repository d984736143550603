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

export const systemFrameSchema = z.object({
  type: z.literal('system'),
  room: z.string(),
  event: z.enum(['join', 'leave']),
  name: z.string(),
  /** Filled in by fanout from the connections it delivers to. */
  online: z.number().int(),
});

/** The bot's frames (issue: the bot). Loose until then: fanout relays them as they are. */
export const aiFrameSchema = z.looseObject({
  type: z.literal('ai'),
  id: z.string(),
  room: z.string(),
  state: z.enum(['start', 'delta', 'end', 'error']),
});

/** Frames that travel on the bus and are broadcast to a room. */
export const broadcastFrameSchema = z.discriminatedUnion('type', [
  userFrameSchema,
  typingBroadcastSchema,
  systemFrameSchema,
  aiFrameSchema,
]);

export type UserFrame = z.infer<typeof userFrameSchema>;
export type TypingBroadcast = z.infer<typeof typingBroadcastSchema>;
export type SystemFrame = z.infer<typeof systemFrameSchema>;
export type AiFrame = z.infer<typeof aiFrameSchema>;
export type BroadcastFrame = z.infer<typeof broadcastFrameSchema>;

/** What room history holds: people's messages and the bot's final answers. */
export type HistoryMessage = UserFrame | AiFrame;

export interface WelcomeFrame {
  type: 'welcome';
  you: Author;
  room: string;
  online: number;
  history: HistoryMessage[];
}

export interface HistoryFrame {
  type: 'history';
  room: string;
  messages: HistoryMessage[];
  hasMore: boolean;
}

export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  /** The action that failed, when the frame named a valid one. */
  action?: string;
  /** Echoed from the failed `sendMessage`, so a client can mark that draft as not sent. */
  clientMsgId?: string;
}

export type ServerFrame = BroadcastFrame | WelcomeFrame | HistoryFrame | ErrorFrame;
