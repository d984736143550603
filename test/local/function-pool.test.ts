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
