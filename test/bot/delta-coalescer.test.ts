import { DeltaCoalescer } from '../../lambdas/bot/delta-coalescer';

describe('DeltaCoalescer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  function coalescer(windowMs: number, maxChars: number) {
    const emitted: { at: number; text: string }[] = [];
    const instance = new DeltaCoalescer(windowMs, maxChars, (text) => emitted.push({ at: Date.now(), text }));
    return { instance, emitted };
  }

  it('emits the first chunk at once, then at most one delta per window', () => {
    const { instance, emitted } = coalescer(50, 1000);

    instance.push('Hel');
    for (const [at, text] of [[10, 'lo'], [20, ','], [40, ' wor'], [60, 'ld'], [70, '!']] as const) {
      jest.advanceTimersByTime(at - Date.now());
      instance.push(text);
    }
    jest.advanceTimersByTime(200);

    expect(emitted).toStrictEqual([
      { at: 0, text: 'Hel' },
      { at: 50, text: 'lo, wor' },
      { at: 100, text: 'ld!' },
    ]);
  });

  it('emits early once maxChars are waiting', () => {
    const { instance, emitted } = coalescer(50, 5);

    instance.push('a');
    jest.advanceTimersByTime(1);
    instance.push('bcdef');
    jest.advanceTimersByTime(1);
    instance.push('gh');
    instance.flush();

    expect(emitted.map((entry) => entry.text)).toStrictEqual(['a', 'bcdef', 'gh']);
  });

  it('bounds the number of deltas of a long fast stream by its duration and the window', () => {
    const { instance, emitted } = coalescer(50, 400);
    const tokens = Array.from({ length: 500 }, (_, i) => `t${i} `);

    // 500 tokens over 5 seconds: one every 10 ms.
    for (const token of tokens) {
      instance.push(token);
      jest.advanceTimersByTime(10);
    }
    instance.flush();

    expect(emitted.map((entry) => entry.text).join('')).toBe(tokens.join(''));
    expect(emitted.length).toBeLessThanOrEqual(5000 / 50 + 1);
    expect(emitted.length).toBeGreaterThan(10);
  });

  it('emits nothing for empty chunks or an empty flush', () => {
    const { instance, emitted } = coalescer(50, 10);

    instance.push('');
    instance.flush();

    expect(emitted).toStrictEqual([]);
  });
});
