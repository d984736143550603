import * as z from 'zod/mini';
import {
  TARGET_NAMES,
  type AiDelta,
  type AiEnd,
  type AiError,
  type AiFrame,
  type AiStart,
  type Author,
  type BroadcastFrame,
  type NoticeFrame,
  type Source,
  type TypingBroadcast,
  type Usage,
  type UserFrame,
} from '../../../contract/protocol';
import type { Assert, SameType } from './same-type';
import './zod-messages';

// The wire types live in contract/protocol.ts (the page shares them); these schemas check what the functions read
// back from the stream, and must produce exactly those types (the `Assert`s below fail `tsc` otherwise).
export type * from '../../../contract/protocol';
export { TARGET_NAMES } from '../../../contract/protocol';

const int = () => z.int();
const positiveInt = () => z.int().check(z.positive());

export const authorSchema = z.object({ id: z.string(), name: z.string() });

export const userFrameSchema = z.object({
  type: z.literal('user'),
  id: z.string(),
  room: z.string(),
  author: authorSchema,
  text: z.string(),
  ts: z.number(),
  clientMsgId: z.optional(z.string()),
  replyTo: z.optional(z.string()),
});

export const typingBroadcastSchema = z.object({
  type: z.literal('typing'),
  room: z.string(),
  author: authorSchema,
  text: z.string(),
  ts: z.number(),
});

export const noticeFrameSchema = z.object({
  type: z.literal('system'),
  room: z.string(),
  event: z.literal('notice'),
  text: z.string(),
  online: int(),
});

export const systemFrameSchema = noticeFrameSchema;

export const usageSchema = z.object({ inputTokens: int(), outputTokens: int() });

export const sourceSchema = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string(),
  score: z.number(),
  snippet: z.string(),
});

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

export const aiDeltaSchema = z.object({
  type: z.literal('ai'),
  state: z.literal('delta'),
  id: z.string(),
  room: z.string(),
  seq: positiveInt(),
  seqEnd: z.optional(positiveInt()),
  text: z.string(),
});

export const aiEndSchema = z.object({
  type: z.literal('ai'),
  state: z.literal('end'),
  id: z.string(),
  room: z.string(),
  replyTo: z.string(),
  target: z.enum(TARGET_NAMES),
  model: z.string(),
  text: z.string(),
  usage: z.optional(usageSchema),
  firstTokenMs: z.number(),
  stopReason: z.optional(z.string()),
  sources: z.optional(z.array(sourceSchema)),
  ts: z.number(),
});

export const aiErrorSchema = z.object({
  type: z.literal('ai'),
  state: z.literal('error'),
  id: z.string(),
  room: z.string(),
  replyTo: z.string(),
  code: z.string(),
  message: z.string(),
  text: z.string(),
  target: z.optional(z.enum(TARGET_NAMES)),
  model: z.optional(z.string()),
  ts: z.number(),
});

export const aiFrameSchema = z.union([aiStartSchema, aiDeltaSchema, aiEndSchema, aiErrorSchema]);

export const broadcastFrameSchema = z.union([userFrameSchema, typingBroadcastSchema, systemFrameSchema, aiFrameSchema]);

export type ServerSchemasMatchTheContract = [
  Assert<SameType<z.infer<typeof authorSchema>, Author>>,
  Assert<SameType<z.infer<typeof userFrameSchema>, UserFrame>>,
  Assert<SameType<z.infer<typeof typingBroadcastSchema>, TypingBroadcast>>,
  Assert<SameType<z.infer<typeof noticeFrameSchema>, NoticeFrame>>,
  Assert<SameType<z.infer<typeof usageSchema>, Usage>>,
  Assert<SameType<z.infer<typeof sourceSchema>, Source>>,
  Assert<SameType<z.infer<typeof aiStartSchema>, AiStart>>,
  Assert<SameType<z.infer<typeof aiDeltaSchema>, AiDelta>>,
  Assert<SameType<z.infer<typeof aiEndSchema>, AiEnd>>,
  Assert<SameType<z.infer<typeof aiErrorSchema>, AiError>>,
  Assert<SameType<z.infer<typeof aiFrameSchema>, AiFrame>>,
  Assert<SameType<z.infer<typeof broadcastFrameSchema>, BroadcastFrame>>,
];
