import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFunctions } from '../../local/lambda/bundle-functions';
import { FunctionPool } from '../../local/lambda/function-pool';

/** Slots of the shared counters the gated handler and the test read. */
const SLOT = { started: 0, inFlight: 1, mostInFlight: 2, gate: 3 } as const;

/** Counts itself in, waits until the test opens its gate, counts itself out: the environments one caller holds. */
const GATED_HANDLER = `
exports.handler = async ({ counters, gated }) => {
  const shared = new Int32Array(counters);
  if (gated) {
    const now = Atomics.add(shared, ${SLOT.inFlight}, 1) + 1;
    let most = Atomics.load(shared, ${SLOT.mostInFlight});
    while (now > most && Atomics.compareExchange(shared, ${SLOT.mostInFlight}, most, now) !== most) most = Atomics.load(shared, ${SLOT.mostInFlight});
    Atomics.add(shared, ${SLOT.started}, 1);
    Atomics.notify(shared, ${SLOT.started});
    while (Atomics.load(shared, ${SLOT.gate}) === 0) await Atomics.waitAsync(shared, ${SLOT.gate}, 0).value;
    Atomics.sub(shared, ${SLOT.inFlight}, 1);
  }
  return 'done';
};
`;

/** Node 20 has Atomics.waitAsync; the project's TypeScript lib (ES2022) does not declare it. */
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): { value: Promise<string> | string } }).waitAsync;

/** Resolves once the handler counted `slot` up to `atLeast` (it notifies each change): no polling. */
async function until(shared: Int32Array, slot: number, atLeast: number): Promise<void> {
  for (let seen = Atomics.load(shared, slot); seen < atLeast; seen = Atomics.load(shared, slot)) await waitAsync(shared, slot, seen).value;
}

describe('FunctionPool', () => {
  let dir: string;
  let pool: FunctionPool;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'function-pool-'));
    writeFileSync(join(dir, 'gated.js'), GATED_HANDLER);
    const bundles = await bundleFunctions({ gated: join(dir, 'gated.js') }, join(dir, 'build'));
    pool = new FunctionPool({
      functionName: 'gated',
      bundlePath: bundles.functions.gated,
      workerPath: bundles.worker,
      environment: {},
      timeoutSeconds: 30,
      memoryMb: 128,
      maxConcurrency: 6,
      maxConcurrencyPerCaller: 2,
      log: () => undefined,
    });
  });

  afterAll(async () => {
    await pool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("one caller holds at most maxConcurrencyPerCaller environments; another caller's invocation runs meanwhile", async () => {
    const counters = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
    const shared = new Int32Array(counters);
    const flood = Array.from({ length: 5 }, () => pool.invoke({ counters, gated: true }, 'flooder'));
    await until(shared, SLOT.started, 2);

    // The flooder's two environments are blocked on the gate and environments are free, yet its third waits;
    // a quiet caller's invocation still runs at once.
    await expect(pool.invoke({ counters, gated: false }, 'quiet')).resolves.toBe('done');
    expect(Atomics.load(shared, SLOT.started)).toBe(2);

    Atomics.store(shared, SLOT.gate, 1);
    Atomics.notify(shared, SLOT.gate);
    await expect(Promise.all(flood)).resolves.toStrictEqual(Array(5).fill('done'));
    expect(Atomics.load(shared, SLOT.started)).toBe(5);
    expect(Atomics.load(shared, SLOT.mostInFlight)).toBe(2);
  });

  it('invocations without a caller (event sources) are not limited per caller', async () => {
    const counters = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
    const shared = new Int32Array(counters);
    const batches = Array.from({ length: 3 }, () => pool.invoke({ counters, gated: true }));
    await until(shared, SLOT.started, 3);
    expect(Atomics.load(shared, SLOT.inFlight)).toBe(3);
    Atomics.store(shared, SLOT.gate, 1);
    Atomics.notify(shared, SLOT.gate);
    await expect(Promise.all(batches)).resolves.toStrictEqual(Array(3).fill('done'));
  });
});

/** Holds its init while the file named by HOLD_INIT exists, then answers with the thread it runs in. */
const SLOW_INIT_HANDLER = `
const { existsSync } = require('node:fs');
const { threadId } = require('node:worker_threads');
const pause = new Int32Array(new SharedArrayBuffer(4));
while (existsSync(process.env.HOLD_INIT)) Atomics.wait(pause, 0, 0, 5);
exports.handler = async ({ counters, gated }) => {
  if (gated) {
    const shared = new Int32Array(counters);
    Atomics.add(shared, ${SLOT.started}, 1);
    Atomics.notify(shared, ${SLOT.started});
    while (Atomics.load(shared, ${SLOT.gate}) === 0) await Atomics.waitAsync(shared, ${SLOT.gate}, 0).value;
  }
  return threadId;
};
`;

describe('FunctionPool environments', () => {
  let dir: string;
  const pools: FunctionPool[] = [];

  async function poolOf(source: string, environment: Record<string, string> = {}, warmEnvironments = 1): Promise<FunctionPool> {
    const name = `f${pools.length}`;
    writeFileSync(join(dir, `${name}.js`), source);
    const bundles = await bundleFunctions({ [name]: join(dir, `${name}.js`) }, join(dir, `build-${name}`));
    const pool = new FunctionPool({
      functionName: name,
      bundlePath: bundles.functions[name] as string,
      workerPath: bundles.worker,
      environment,
      timeoutSeconds: 30,
      memoryMb: 128,
      maxConcurrency: 2,
      warmEnvironments,
      log: () => undefined,
    });
    pools.push(pool);
    return pool;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'function-pool-environments-'));
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('an invocation that finds every environment busy runs in the first one free, not behind a cold start', async () => {
    const holdInit = join(dir, 'hold-init');
    const pool = await poolOf(SLOW_INIT_HANDLER, { HOLD_INIT: holdInit });
    await pool.warm();
    writeFileSync(holdInit, '');
    const counters = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
    const shared = new Int32Array(counters);

    const first = pool.invoke({ counters, gated: true });
    await until(shared, SLOT.started, 1);
    // The warm environment is busy: this one starts a second environment, whose init is held.
    const second = pool.invoke({ counters, gated: false });
    Atomics.store(shared, SLOT.gate, 1);
    Atomics.notify(shared, SLOT.gate);

    const [firstThread, secondThread] = await Promise.all([first, second]);
    expect(secondThread).toBe(firstThread);
    rmSync(holdInit);
  });

  it('warm() starts warmEnvironments environments, so that many invocations at once pay no cold start', async () => {
    const holdInit = join(dir, 'hold-init-warm');
    const pool = await poolOf(SLOW_INIT_HANDLER, { HOLD_INIT: holdInit }, 2);
    await pool.warm();
    // An environment started from now on would hold its init until the end of the test.
    writeFileSync(holdInit, '');
    const counters = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
    const shared = new Int32Array(counters);

    const both = [pool.invoke({ counters, gated: true }), pool.invoke({ counters, gated: true })];
    await until(shared, SLOT.started, 2);
    Atomics.store(shared, SLOT.gate, 1);
    Atomics.notify(shared, SLOT.gate);
    const [first, second] = await Promise.all(both);
    expect(second).not.toBe(first);
    rmSync(holdInit);
  }, 10_000);

  it("an event source's lane goes back to its environment, a new lane takes one no other lane runs in, a connection the first idle one", async () => {
    const pool = await poolOf(SLOW_INIT_HANDLER, {}, 2);
    await pool.warm();
    const counters = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
    const batch = (lane: string) => pool.invoke({ counters, gated: false }, '', undefined, lane);

    const roomB = [await batch('lane 7'), await batch('lane 7')];
    expect(roomB[1]).toBe(roomB[0]);
    // Lane 7's environment is idle, yet lane 2 gets the other one, and both keep theirs.
    const roomA = [await batch('lane 2'), await batch('lane 2')];
    expect(roomA[0]).not.toBe(roomB[0]);
    expect(roomA[1]).toBe(roomA[0]);
    expect(await batch('lane 7')).toBe(roomB[0]);

    const frames: unknown[] = [];
    for (let i = 0; i < 3; i += 1) frames.push(await pool.invoke({ counters, gated: false }, 'connection'));
    expect(new Set(frames).size).toBe(1);
  });

  it('an environment whose init fails fails the invocation it was started for with Runtime.InitError', async () => {
    const pool = await poolOf(`throw new Error('no config');`);

    await expect(pool.invoke({})).rejects.toMatchObject({ errorType: 'Runtime.InitError', message: expect.stringContaining('no config') });
  });
});
