import { z } from 'zod';
import { LIMITS } from './limits';
import { codePointLength, hasBidiControl, hasVisibleCharacter } from './text';

/** Message ids are ULIDs: 26 Crockford base-32 characters that sort in time order. */
export const messageIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a message id');

const text = (min: number) =>
  z
    .string({ error: 'text must be a string' })
    .refine((value) => codePointLength(value) >= min, { message: 'text must not be empty' })
    .refine((value) => codePointLength(value) <= LIMITS.textMaxLength, {
      message: `text must be at most ${LIMITS.textMaxLength} characters`,
    })
    .refine((value) => !hasBidiControl(value), {
      message: 'text must not contain bidi embedding, override or isolate characters (U+202A-U+202E, U+2066-U+2069)',
    });

export const joinFrameSchema = z.object({ action: z.literal('join') });

export const sendMessageFrameSchema = z.object({
  action: z.literal('sendMessage'),
  text: text(1).refine(hasVisibleCharacter, { message: 'text must contain a visible character' }),
  clientMsgId: z.string().min(1).max(LIMITS.clientMsgIdMaxLength).optional(),
});

export const typingFrameSchema = z.object({
  action: z.literal('typing'),
  text: text(0),
});

export const historyFrameSchema = z.object({
  action: z.literal('history'),
  before: messageIdSchema.optional(),
  limit: z.number().int().min(1).max(LIMITS.historyMaxLimit).optional(),
});

export const clientFrameSchema = z.discriminatedUnion('action', [
  joinFrameSchema,
  sendMessageFrameSchema,
  typingFrameSchema,
  historyFrameSchema,
]);

export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type ClientAction = ClientFrame['action'];
export const CLIENT_ACTIONS: readonly ClientAction[] = ['join', 'sendMessage', 'typing', 'history'];
