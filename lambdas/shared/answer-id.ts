const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;

/**
 * The id of the bot's answer to a question: the question's id (stream-message-id.ts) one millisecond later. Every
 * attempt at answering the same question derives the same id, so a retried record cannot start a second answer under
 * a new id. It is ULID-shaped like every message id, sorts right after the question in history, and is never the id
 * of a stream record: its lower 80 bits are the question's own stream counter, which no other record carries.
 */
export function answerIdFor(questionId: string): string {
  const chars = [...questionId.slice(0, TIME_CHARS)];
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    const digit = CROCKFORD.indexOf(chars[i] as string);
    if (digit < 0) throw new TypeError(`Not a message id: ${questionId}`);
    if (digit < CROCKFORD.length - 1) {
      chars[i] = CROCKFORD[digit + 1] as string;
      return chars.join('') + questionId.slice(TIME_CHARS);
    }
    chars[i] = '0';
  }
  throw new RangeError(`No id follows ${questionId}`);
}

/**
 * The question an answer id was derived from (`answerIdFor` undone): where the answer's claim lives in the botAnswers
 * table. Undefined when no message id precedes it (the id cannot be an answer's).
 */
export function questionIdOf(answerId: string): string | undefined {
  const chars = [...answerId.slice(0, TIME_CHARS)];
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    const digit = CROCKFORD.indexOf(chars[i] as string);
    if (digit < 0) return undefined;
    if (digit > 0) {
      chars[i] = CROCKFORD[digit - 1] as string;
      return chars.join('') + answerId.slice(TIME_CHARS);
    }
    chars[i] = CROCKFORD[CROCKFORD.length - 1] as string;
  }
  return undefined;
}
