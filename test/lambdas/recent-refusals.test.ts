import { RecentRefusals } from '../../lambdas/message/admission';

describe('RecentRefusals', () => {
  it('knows a refused bucket until its retryAfterMs has passed, per connection and bucket', () => {
    let now = 1_000;
    const refusals = new RecentRefusals(() => now);
    refusals.remember('c1', 'messages', 200);

    expect(refusals.waitFor('c1', 'messages')).toBe(200);
    expect(refusals.waitFor('c1', 'drafts')).toBeUndefined();
    expect(refusals.waitFor('c2', 'messages')).toBeUndefined();
    now = 1_150;
    expect(refusals.waitFor('c1', 'messages')).toBe(50);
    now = 1_200;
    expect(refusals.waitFor('c1', 'messages')).toBeUndefined();
  });

  it('forgets the oldest refusal when full, so a storm of connections cannot grow it without bound', () => {
    const refusals = new RecentRefusals(() => 0, 2);
    refusals.remember('a', 'messages', 100);
    refusals.remember('b', 'messages', 100);
    refusals.remember('c', 'messages', 100);

    expect([refusals.waitFor('a', 'messages'), refusals.waitFor('b', 'messages'), refusals.waitFor('c', 'messages')]).toStrictEqual([
      undefined,
      100,
      100,
    ]);
  });
});
