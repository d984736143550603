import { backoffDelayMs } from '../../lambdas/shared/backoff-delay';

describe('backoffDelayMs', () => {
  it('doubles each retry, between half and all of base * 2^retry', () => {
    expect([0, 1, 2].map((retry) => backoffDelayMs(retry, { baseMs: 200, random: () => 0 }))).toStrictEqual([100, 200, 400]);
    expect([0, 1, 2].map((retry) => backoffDelayMs(retry, { baseMs: 200, random: () => 0.5 }))).toStrictEqual([150, 300, 600]);
    expect([0, 1, 2].map((retry) => backoffDelayMs(retry, { baseMs: 200, random: () => 0.999 }))).toStrictEqual([200, 400, 800]);
  });

  it('never waits more than maxMs', () => {
    expect([4, 5, 30].map((retry) => backoffDelayMs(retry, { baseMs: 100, maxMs: 2000, random: () => 0 }))).toStrictEqual([800, 1000, 1000]);
    expect(backoffDelayMs(30, { baseMs: 100, maxMs: 2000, random: () => 0.999 })).toBe(1999);
  });
});
