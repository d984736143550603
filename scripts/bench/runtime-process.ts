import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { SettingName } from '../../contract';
import type { ManagementStats } from '../../local/gateway/management-api';

export type HostStart = { kind: 'runtime'; dataDir: string; settings: Partial<Record<SettingName, string>> } | { kind: 'bare' };
export type HostRequest = { kind: 'state'; id: number; withIds: boolean } | { kind: 'stop' };
export interface HostState {
  stats: ManagementStats;
  openConnectionIds: string[];
  openConnections: number;
  /** CPU time of the host's main thread (the gateway's), when the platform tells. */
  cpuMs: number | undefined;
  /** CPU time of each of the host's threads (ms by thread id; the main thread's id is `pid`). */
  threads: Record<string, number>;
  /** Invocations asked of each function so far. */
  invocations: Record<string, number>;
  /** HTTP requests the host's servers received so far, by DynamoDB/Kinesis operation or `METHOD http`. */
  requests: Record<string, number>;
  pid: number;
}
export type HostReply =
  | { kind: 'ready'; webSocketUrl: string; managementApiUrl?: string; kinesis?: { endpoint: string; streamNames: { events: string } } }
  | ({ kind: 'state'; id: number } & HostState)
  | { kind: 'stopped' };

export interface HostedServer {
  webSocketUrl: string;
  managementApiUrl: string;
  kinesis: { endpoint: string; streamNames: { events: string } };
  /** Counters and open connections, asked of the child. */
  state(withIds?: boolean): Promise<HostState>;
  stop(): Promise<void>;
}

/**
 * Starts the local runtime (or the bare ws server) in a child process: on one machine the benchmark's own listeners
 * would otherwise parse every frame on the very thread that runs the gateway, and measure themselves.
 */
export async function startHosted(start: HostStart): Promise<HostedServer> {
  const child: ChildProcess = fork(join(__dirname, 'runtime-host.ts'), [], {
    // BENCH_HOST_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=DIR" profiles the host (its main thread: the gateway).
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_HOST_NODE_OPTIONS ?? '').split(' ').filter(Boolean)],
    env: { ...process.env, BENCH_HOST_START: JSON.stringify(start) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Extract<HostReply, { kind: 'ready' }>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`benchmark host exited with ${String(code)} before it was ready`)));
    child.once('message', (reply: HostReply) => (reply.kind === 'ready' ? resolve(reply) : reject(new Error(`unexpected ${reply.kind}`))));
  });
  let nextId = 0;
  const waiting = new Map<number, (state: HostState) => void>();
  child.on('message', (reply: HostReply) => {
    if (reply.kind !== 'state') return;
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  return {
    webSocketUrl: ready.webSocketUrl,
    managementApiUrl: ready.managementApiUrl ?? '',
    kinesis: ready.kinesis ?? { endpoint: '', streamNames: { events: '' } },
    state: (withIds = false) =>
      new Promise((resolve) => {
        nextId += 1;
        waiting.set(nextId, resolve);
        child.send({ kind: 'state', id: nextId, withIds } satisfies HostRequest);
      }),
    stop: async () => {
      if (child.connected) child.send({ kind: 'stop' } satisfies HostRequest);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
