import { backoffDelayMs } from '../../../lambdas/bot/inference/backoff-delay';

describe('backoffDelayMs', () => {
  it('doubles each retry, between half and all of base * 2^retry', () => {
    expect([0, 1, 2].map((retry) => backoffDelayMs(retry, 200, () => 0))).toStrictEqual([100, 200, 400]);
    expect([0, 1, 2].map((retry) => backoffDelayMs(retry, 200, () => 0.5))).toStrictEqual([150, 300, 600]);
    expect([0, 1, 2].map((retry) => backoffDelayMs(retry, 200, () => 0.999))).toStrictEqual([200, 400, 800]);
  });
});
