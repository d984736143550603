/**
 * The text without its @mentions (`@bot, how do I deploy?` -> `how do I deploy?`): what the bot searches its passages
 * with and picks quotes by, so addressing it does not make "bot" a topic of the question.
 */
export function withoutMentions(text: string): string {
  return text
    .replace(/(?<![\p{L}\p{N}\p{M}_])@[\p{L}\p{N}\p{M}_-]+[,:;!.?]*/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
