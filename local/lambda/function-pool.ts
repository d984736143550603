import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { CallerQueue } from './caller-queue';
import { FunctionError, FunctionTimeoutError } from './function-errors';
import type { InvokeRequest, WorkerData, WorkerMessage } from './worker-protocol';

export interface FunctionPoolOptions {
  functionName: string;
  bundlePath: string;
  workerPath: string;
  /** The function's whole environment, as Lambda would set it. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /** Most execution environments at once (Lambda's concurrency for this function). */
  maxConcurrency: number;
  /** Environments `warm()` starts. @default 1 */
  warmEnvironments?: number;
  /**
   * Most environments one caller (a connection) may hold at once; invocations without a caller (event sources) are not
   * limited. Not a Lambda limit: see the class comment. @default 2
   */
  maxConcurrencyPerCaller?: number;
  /** Where the function's stdout/stderr lines go. */
  log: (line: string) => void;
  /** The exported function the bundle's handler is. @default 'handler' */
  handlerName?: string;
  /** PEM certificates the function trusts besides the public roots. @default none */
  trustedCertificates?: string[];
  /**
   * A timeout imposed on one invocation instead of the function's own, for fault-injection tests: after that many ms,
   * or when the promise settles.
   */
  imposedTimeout?: () => number | Promise<unknown> | undefined;
}

interface Instance {
  worker: Worker;
  ready: Promise<void>;
  /** `starting` until its init finished; only an `idle` environment is given an invocation. */
  state: 'starting' | 'idle' | 'busy';
  /** When it was last given an invocation (performance.now()); 0 before its first. */
  lastUsed: number;
}

interface Pending {
  caller: string;
  affinity: string | undefined;
  event: unknown;
  requestId: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Runs one function with Lambda's concurrency model: each execution environment (a worker thread) handles one
 * invocation at a time; new ones start when all are busy, up to maxConcurrency; beyond that invocations queue.
 *
 * The queue takes turns between callers (e.g. WebSocket connections): Lambda scales out to a thousand environments, so
 * there one client's burst never makes another client's invocation wait behind it. A plain first-in-first-out queue
 * behind a handful of local environments would, and a flooding connection would delay every room.
 *
 * One caller also holds at most `maxConcurrencyPerCaller` environments at once. On AWS each environment has CPU of its
 * own, so a connection flooding a thousand invocations costs other rooms nothing; here every environment is a thread
 * sharing the machine's few cores with the gateway, DynamoDB and Kinesis, and a flood in all of them would take the CPU
 * that other rooms' invocations and fanout need. Two at a time still runs one connection's frames concurrently (their
 * order is not guaranteed, as on AWS). docs/local-runtime.md lists this difference.
 *
 * An invocation that finds every environment busy starts a new one, but runs in whichever is free first: the new one
 * once its init is done, or a busy one that finished sooner. Lambda would run it in the new environment after its cold
 * start; here a room's fanout would otherwise wait out a cold start on these few cores whenever another room's burst
 * took the only warm environment for a moment. docs/local-runtime.md lists this difference too.
 */
export class FunctionPool {
  private readonly instances: Instance[] = [];
  private readonly queue = new CallerQueue<Pending>();
  private nextId = 1;
  private stopped = false;
  private invoked = 0;
  /** The environment each affinity (an event source's lane) last ran in. */
  private readonly environmentOf = new Map<string, Instance>();
  /** Environments each caller holds now (callers with none are absent). */
  private readonly running = new Map<string, number>();

  public constructor(private readonly options: FunctionPoolOptions) {}

  /** Starts `warmEnvironments` environments ahead of the first invocation, so it pays no cold start. */
  public async warm(): Promise<void> {
    const count = Math.min(this.options.warmEnvironments ?? 1, this.options.maxConcurrency);
    await Promise.all(Array.from({ length: count }, () => this.spawn().ready));
  }

  /** How many invocations were asked of this function (what Lambda would bill as requests). */
  public get invocations(): number {
    return this.invoked;
  }

  /**
   * `caller` says whose invocation this is (a connection id); callers take turns while every environment is busy.
   * `requestId` is the invocation's `context.awsRequestId` (an event source names it in its failure records).
   * `affinity` names a stream of invocations that should keep to one environment (an event source mapping's lane).
   */
  public invoke(event: unknown, caller = '', requestId: string = randomUUID(), affinity?: string): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error(`${this.options.functionName} is stopped`));
    this.invoked += 1;
    return new Promise((resolve, reject) => {
      this.queue.push(caller, { caller, affinity, event, requestId, resolve, reject });
      this.dispatch();
    });
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    for (const pending of this.queue.drain()) pending.reject(new Error(`${this.options.functionName} is stopped`));
    await Promise.all(this.instances.splice(0).map((instance) => instance.worker.terminate()));
  }

  /** How many more environments the caller may hold now. */
  private readonly room = (caller: string): number =>
    caller === '' ? Infinity : (this.options.maxConcurrencyPerCaller ?? 2) - (this.running.get(caller) ?? 0);

  private readonly mayRun = (caller: string): boolean => this.room(caller) > 0;

  private dispatch(): void {
    if (this.stopped) return;
    const { mayRun } = this;
    while (this.instances.some((each) => each.state === 'idle') && this.queue.has(mayRun)) {
      const pending = this.queue.shift(mayRun) as Pending;
      const { caller, affinity } = pending;
      const instance = this.idleInstanceFor(affinity);
      instance.state = 'busy';
      instance.lastUsed = performance.now();
      if (affinity !== undefined) this.environmentOf.set(affinity, instance);
      this.running.set(caller, (this.running.get(caller) ?? 0) + 1);
      const finish = (outcome: { value: unknown } | { error: Error }) => {
        // The environment is free again before its caller hears back, so the caller's next invocation finds it idle.
        if (instance.state === 'busy') instance.state = 'idle';
        const left = (this.running.get(caller) ?? 1) - 1;
        if (left > 0) this.running.set(caller, left);
        else this.running.delete(caller);
        this.dispatch();
        if ('error' in outcome) pending.reject(outcome.error);
        else pending.resolve(outcome.value);
      };
      this.run(instance, pending).then(finish, (error: unknown) => finish({ error: error instanceof Error ? error : new Error(String(error)) }));
    }
    // What could start but found no idle environment: one more environment each, up to the function's concurrency.
    const starting = this.instances.filter((instance) => instance.state === 'starting').length;
    const unserved = this.queue.startable(this.room) - starting;
    for (let i = 0; i < unserved && this.instances.length < this.options.maxConcurrency; i += 1) this.spawn();
  }

  /**
   * An invocation with an affinity (an event source's lane) goes back to the environment its last one ran in, when
   * idle; otherwise to the idle environment used least recently among those no other lane calls its own. So each
   * room's fanout keeps running in a warm environment: one that sat idle (code not yet optimized, keep-alive
   * connections closed by the server after 5 s) took 2 to 6 times as long for its first batch, and a lane's batches
   * spread over several environments were slower too. Any other invocation goes to the first idle environment in
   * start order, the one likeliest to have served the connection's previous frames (and to remember refusing them:
   * lambdas/message/admission.ts).
   */
  private idleInstanceFor(affinity: string | undefined): Instance {
    const idle = this.instances.filter((instance) => instance.state === 'idle');
    if (affinity === undefined) return idle[0] as Instance;
    const own = this.environmentOf.get(affinity);
    if (own?.state === 'idle') return own;
    const others = new Set([...this.environmentOf].filter(([key]) => key !== affinity).map(([, instance]) => instance));
    const free = idle.filter((instance) => !others.has(instance));
    return (free.length > 0 ? free : idle).reduce((least, instance) => (instance.lastUsed < least.lastUsed ? instance : least));
  }

  private async run(instance: Instance, pending: Pending): Promise<{ value: unknown } | { error: Error }> {
    const { functionName, timeoutSeconds, memoryMb } = this.options;
    const imposed = this.options.imposedTimeout?.();
    const timeoutMs = typeof imposed === 'number' ? imposed : timeoutSeconds * 1000;
    const id = this.nextId++;
    const request: InvokeRequest = {
      type: 'invoke',
      id,
      event: pending.event,
      context: {
        functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
        memoryLimitInMB: String(memoryMb),
        awsRequestId: pending.requestId,
        logGroupName: `/aws/lambda/${functionName}`,
        logStreamName: 'local',
        deadlineMs: Date.now() + timeoutMs,
      },
    };
    return new Promise((done) => {
      let settled = false;
      const timeOut = () => {
        if (settled) return;
        cleanup();
        // Lambda discards an environment whose invocation timed out; so do we.
        this.discard(instance);
        done({ error: new FunctionTimeoutError(functionName, timeoutMs / 1000) });
      };
      const timer = setTimeout(timeOut, timeoutMs);
      if (imposed instanceof Promise) imposed.then(timeOut, timeOut);
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== 'result' || message.id !== id) return;
        cleanup();
        done(message.ok ? { value: message.value } : { error: new FunctionError(functionName, message.error.name, message.error.message) });
      };
      const onExit = (code: number) => {
        cleanup();
        this.discard(instance);
        done({ error: new FunctionError(functionName, 'Runtime.ExitError', `environment exited with code ${code}`) });
      };
      const cleanup = () => {
        settled = true;
        clearTimeout(timer);
        instance.worker.off('message', onMessage);
        instance.worker.off('exit', onExit);
      };
      instance.worker.on('message', onMessage);
      instance.worker.on('exit', onExit);
      instance.worker.postMessage(request);
    });
  }

  private spawn(): Instance {
    const { bundlePath, workerPath, environment, functionName, log, handlerName = 'handler', trustedCertificates = [] } = this.options;
    const workerData: WorkerData = { bundlePath, handlerName, trustedCertificates };
    const worker = new Worker(workerPath, {
      workerData,
      env: environment,
      execArgv: ['--enable-source-maps'],
      stdout: true,
      stderr: true,
    });
    forwardLines(worker.stdout, log);
    forwardLines(worker.stderr, log);
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'init-error') {
          reject(new FunctionError(functionName, 'Runtime.InitError', message.error.message));
        }
      });
      worker.once('error', reject);
    });
    const instance: Instance = { worker, ready, state: 'starting', lastUsed: 0 };
    this.instances.push(instance);
    ready.then(
      () => {
        if (instance.state === 'starting') instance.state = 'idle';
        this.dispatch();
      },
      (error: Error) => {
        // As on Lambda, the invocation this environment was started for fails with the init error.
        this.discard(instance);
        this.queue.shift(this.mayRun)?.reject(error);
        this.dispatch();
      },
    );
    return instance;
  }

  private discard(instance: Instance): void {
    const index = this.instances.indexOf(instance);
    if (index >= 0) this.instances.splice(index, 1);
    for (const [affinity, each] of this.environmentOf) if (each === instance) this.environmentOf.delete(affinity);
    void instance.worker.terminate();
  }
}

function forwardLines(stream: NodeJS.ReadableStream, log: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line !== '') log(line);
  });
}
