import * as z from 'zod/mini';
import type { BroadcastFrame, HistoryMessage } from '../../contract/protocol';
import { aiFrameSchema, noticeFrameSchema, typingBroadcastSchema, userFrameSchema } from './protocol/server-frames';

/** A connection as presence needs it: fanout keeps its member list current from these without querying again. */
export const memberSchema = z.object({
  connectionId: z.string(),
  userId: z.string(),
  name: z.string(),
  connectedAt: z.number(),
});
export type Member = z.infer<typeof memberSchema>;

/** Someone joined or left. Internal: fanout turns a batch's member events into one `presence` frame per room. */
export const memberEventSchema = z.object({
  type: z.literal('member'),
  room: z.string(),
  event: z.enum(['join', 'leave']),
  member: memberSchema,
});
export type MemberEvent = z.infer<typeof memberEventSchema>;

/**
 * A person's message as it is put on the stream: without `id`. Its id is derived from where the stream put it
 * (stream-message-id.ts), so every consumer, and every retry, sees the same id and history sorts in stream order.
 */
export const publishedUserFrameSchema = z.omit(userFrameSchema, { id: true });

/**
 * Who sent a person's message, for the bot's per-person budget. It rides on the record beside the frame and is never
 * delivered: fanout sends frames only.
 */
export const senderSchema = z.object({ connectionId: z.string(), sourceIp: z.string() });
export type Sender = z.infer<typeof senderSchema>;

/** One record on the events stream, as producers put it. Partition key = room. */
export const busRecordSchema = z.object({
  v: z.literal(1),
  room: z.string(),
  frame: z.union([publishedUserFrameSchema, typingBroadcastSchema, noticeFrameSchema, aiFrameSchema, memberEventSchema]),
  /** A connection that must not receive this frame (the typist, the person joining). */
  exclude: z.optional(z.string()),
  /** The only connection that receives this frame (a notice meant for one person); nobody else in the room does. */
  only: z.optional(z.string()),
  /** With a `user` frame: who sent it (internal, never delivered). */
  sender: z.optional(senderSchema),
  /**
   * With a `user` frame: the message function found it asks the bot (botReplies=all, a mention, a reply to one of its
   * answers). The bot's event source filter lets only these through; fanout never delivers it.
   */
  askBot: z.optional(z.literal(true)),
});
export type BusRecord = z.infer<typeof busRecordSchema>;

/** A frame read back from the stream: people's messages now carry their stream-derived id. */
export type BusFrame = BroadcastFrame | MemberEvent;

/** One decoded stream record. */
export interface BusEvent {
  room: string;
  frame: BusFrame;
  exclude?: string;
  only?: string;
  sender?: Sender;
  /** Where the record sits in its shard: what Lambda retries from when it is reported as failed. */
  sequenceNumber: string;
}

/** Frames that are kept in room history: people's messages and the bot's final answers. */
export function isHistoryFrame(frame: BusFrame): frame is HistoryMessage {
  return frame.type === 'user' || (frame.type === 'ai' && (frame.state === 'end' || frame.state === 'error'));
}
