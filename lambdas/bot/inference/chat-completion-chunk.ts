import * as z from 'zod/mini';

/**
 * What an OpenAI-compatible server streams as each `data:` payload of `/v1/chat/completions` (`chat.completion.chunk`).
 * Only the fields the bot reads; anything else is ignored. With `stream_options.include_usage` the last chunk has
 * empty `choices` and the `usage`. Servers report failures mid-stream as a payload with an `error`.
 */
export const chatCompletionChunkSchema = z.object({
  choices: z.nullish(
    z.array(
      z.object({
        index: z.optional(z.number()),
        delta: z.nullish(z.object({ content: z.nullish(z.string()) })),
        finish_reason: z.nullish(z.string()),
      }),
    ),
  ),
  usage: z.nullish(z.object({ prompt_tokens: z.number(), completion_tokens: z.number() })),
  error: z.optional(z.unknown()),
});

export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
