import * as z from 'zod/mini';
import type { ClientAction, ClientFrame } from '../../../contract/protocol';
import { LIMITS } from './limits';
import type { Assert, SameType } from './same-type';
import { codePointLength, hasBidiControl, hasControlCharacter, hasVisibleCharacter, isWellFormedText } from './text';
import './zod-messages';

export type { ClientAction, ClientFrame } from '../../../contract/protocol';

/** Message ids are ULIDs: 26 Crockford base-32 characters that sort in time order. */
export const messageIdSchema = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a message id'));

const text = (min: number) =>
  z
    .string({ error: 'text must be a string' })
    .check(
      z.refine((value) => codePointLength(value) >= min, { message: 'text must not be empty' }),
      z.refine((value) => codePointLength(value) <= LIMITS.textMaxLength, {
        message: `text must be at most ${LIMITS.textMaxLength} characters`,
      }),
      z.refine((value) => !hasBidiControl(value), {
        message: 'text must not contain bidi embedding, override or isolate characters (U+202A-U+202E, U+2066-U+2069)',
      }),
      z.refine((value) => !hasControlCharacter(value), {
        message: 'text must not contain control characters other than tab and line breaks',
      }),
      z.refine(isWellFormedText, { message: 'text must be well-formed Unicode (no unpaired surrogate)' }),
    );

export const joinFrameSchema = z.object({ action: z.literal('join') });

export const sendMessageFrameSchema = z.object({
  action: z.literal('sendMessage'),
  text: text(1).check(z.refine(hasVisibleCharacter, { message: 'text must contain a visible character' })),
  clientMsgId: z.optional(z.string().check(z.minLength(1), z.maxLength(LIMITS.clientMsgIdMaxLength))),
  replyTo: z.optional(messageIdSchema),
});

export const stopAnswerFrameSchema = z.object({
  action: z.literal('stopAnswer'),
  id: messageIdSchema,
});

export const typingFrameSchema = z.object({
  action: z.literal('typing'),
  text: text(0),
});

export const historyFrameSchema = z.object({
  action: z.literal('history'),
  before: z.optional(messageIdSchema),
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(LIMITS.historyMaxLimit))),
});

export const clientFrameSchema = z.discriminatedUnion('action', [
  joinFrameSchema,
  sendMessageFrameSchema,
  typingFrameSchema,
  historyFrameSchema,
  stopAnswerFrameSchema,
]);

export type ClientSchemaMatchesTheContract = Assert<SameType<z.infer<typeof clientFrameSchema>, ClientFrame>>;

export const CLIENT_ACTIONS: readonly ClientAction[] = ['join', 'sendMessage', 'typing', 'history', 'stopAnswer'];
