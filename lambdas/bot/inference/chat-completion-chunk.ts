import { z } from 'zod';

/**
 * What an OpenAI-compatible server streams as each `data:` payload of `/v1/chat/completions` (`chat.completion.chunk`).
 * Only the fields the bot reads; anything else is ignored. With `stream_options.include_usage` the last chunk has
 * empty `choices` and the `usage`. Servers report failures mid-stream as a payload with an `error`.
 */
export const chatCompletionChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        index: z.number().optional(),
        delta: z.object({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
  error: z.unknown().optional(),
});

export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
