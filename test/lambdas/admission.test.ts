import { RecentRefusals, refuseIfStillLimited } from '../../lambdas/message/admission';
import { ProtocolError } from '../../lambdas/shared/protocol/protocol-error';

function refusal(run: () => void): { code: string; message: string; retryAfterMs?: number } | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return { code: error.code, message: error.message, retryAfterMs: error.retryAfterMs };
    throw error;
  }
  return undefined;
}

describe('refusals from memory', () => {
  let now = 1_000;
  const refusals = new RecentRefusals(() => now);

  it('refuses each action of a bucket this instance refused until its token is due, in words for that action', () => {
    refusals.remember('conn-a', 'messages', 120);
    now += 20;
    expect(refusal(() => refuseIfStillLimited('sendMessage', 'conn-a', refusals))).toStrictEqual({
      code: 'rate_limited',
      message: 'Too many messages; this one was not sent. Try again in 100 ms.',
      retryAfterMs: 100,
    });
    // stopAnswer spends from the messages bucket: its refusal says so, and that nothing was stopped.
    expect(refusal(() => refuseIfStillLimited('stopAnswer', 'conn-a', refusals))).toStrictEqual({
      code: 'rate_limited',
      message: 'Too many messages and stop requests; this stop was not done. Try again in 100 ms.',
      retryAfterMs: 100,
    });
    // Another bucket, another connection, and unlimited actions are not refused.
    expect(refusal(() => refuseIfStillLimited('typing', 'conn-a', refusals))).toBeUndefined();
    expect(refusal(() => refuseIfStillLimited('sendMessage', 'conn-b', refusals))).toBeUndefined();
    expect(refusal(() => refuseIfStillLimited('history', 'conn-a', refusals))).toBeUndefined();
    now += 100;
    expect(refusal(() => refuseIfStillLimited('sendMessage', 'conn-a', refusals))).toBeUndefined();
  });
});
