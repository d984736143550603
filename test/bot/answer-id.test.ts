import { answerIdFor, questionIdOf } from '../../lambdas/shared/answer-id';
import { streamMessageId } from '../../lambdas/shared/stream-message-id';

const sequenceNumber = (counter: number) => String((BigInt(counter) << 80n) | 0x2abcn);

it('is the question id one millisecond later: ULID-shaped, after the question, before anything that arrived later', () => {
  const question = streamMessageId(1_795_000_000.123, sequenceNumber(41));
  const sameMillisecondLater = streamMessageId(1_795_000_000.123, sequenceNumber(42));
  const nextMillisecond = streamMessageId(1_795_000_000.124, sequenceNumber(43));

  const answer = answerIdFor(question);

  expect(answer).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  expect(answer.slice(10)).toBe(question.slice(10));
  expect(answer).toBe(streamMessageId(1_795_000_000.124, sequenceNumber(41)));
  expect([nextMillisecond, answer, question].sort()).toStrictEqual([question, answer, nextMillisecond]);
  // Only records of the same millisecond that came after the question sort before its answer.
  expect(sameMillisecondLater < answer).toBe(true);
  expect(answerIdFor(question)).toBe(answer);
});

it('carries across base-32 digits and refuses what is not a message id', () => {
  expect(answerIdFor('0000000ZZZ' + 'A'.repeat(16))).toBe('0000001000' + 'A'.repeat(16));
  expect(() => answerIdFor('not-an-id-at-all-really-no')).toThrow(TypeError);
});

it('is undone by questionIdOf, across digits, and no id precedes the first', () => {
  const question = streamMessageId(1_795_000_000.999, sequenceNumber(7));
  expect(questionIdOf(answerIdFor(question))).toBe(question);
  expect(questionIdOf('0000001000' + 'A'.repeat(16))).toBe('0000000ZZZ' + 'A'.repeat(16));
  expect(questionIdOf('0'.repeat(26))).toBeUndefined();
  expect(questionIdOf('not-an-id-at-all-really-no')).toBeUndefined();
});
