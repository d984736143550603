import { build } from 'esbuild';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface ServiceThreadData {
  /** Absolute path of the package whose default export makes the server (dynalite, kinesalite). */
  modulePath: string;
  options: object;
}

export type ServiceThreadMessage = { kind: 'listening'; port: number };

export interface ServiceThread {
  endpoint: string;
  /** Drains the requests in flight, closes the server and its LevelDB, and waits for the thread to end. */
  stop(): Promise<void>;
}

let entryCode: Promise<string> | undefined;

/** The thread's code, bundled once per process (in memory; the packages themselves stay external). */
function bundledEntry(): Promise<string> {
  entryCode ??= build({
    entryPoints: [join(__dirname, 'service-thread-entry.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    logLevel: 'error',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return entryCode;
}

/**
 * Starts `packageName` (dynalite or kinesalite) in a worker thread of its own and returns its endpoint. On a shared
 * thread their LevelDB reads and JSON work sat between the gateway's frames: a busy room's database calls delayed every
 * post to every member.
 */
export async function startServiceThread(packageName: 'dynalite' | 'kinesalite', options: object): Promise<ServiceThread> {
  const workerData: ServiceThreadData = { modulePath: require.resolve(packageName), options };
  const worker = new Worker(await bundledEntry(), { eval: true, workerData });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${packageName} thread exited (${code}) before listening`)));
    worker.once('message', (message: ServiceThreadMessage) => resolve(message.port));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      worker.postMessage('stop');
      await exited;
    },
  };
}
