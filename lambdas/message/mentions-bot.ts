/** The name every bot answers to, whatever its configured name. */
const GENERIC_NAME = 'bot';

/**
 * Whether `text` mentions the bot: `@bot` or `@<botName>`, case-insensitive, as a whole word (not inside an address
 * like `me@bot.example` nor the start of a longer name like `@bots` or `@bot-fan`). Punctuation may follow: `@bot,`.
 */
export function mentionsBot(text: string, botName: string): boolean {
  return mentionPattern(botName).test(text);
}

const patterns = new Map<string, RegExp>();

function mentionPattern(botName: string): RegExp {
  let pattern = patterns.get(botName);
  if (!pattern) {
    const names = [...new Set([GENERIC_NAME, botName.toLowerCase()])].map(escapeRegExp).join('|');
    // A name character before the @ makes it an address; one after it makes it a longer name. No lookbehind: the
    // page runs this rule too, and Safari before 16.4 cannot compile one.
    pattern = new RegExp(`(?:^|[^\\p{L}\\p{N}\\p{M}_])@(?:${names})(?![\\p{L}\\p{N}\\p{M}_-]|\\.[\\p{L}\\p{N}])`, 'iu');
    patterns.set(botName, pattern);
  }
  return pattern;
}

// `-` needs no escape outside a character class (and may not have one under the `u` flag).
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
