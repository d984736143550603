import '../../local/quiet-sdk-warning';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { startBareBroadcastServer } from './bare-broadcast-server';
import type { HostReply, HostRequest, HostStart } from './runtime-process';
import { threadCpuByTid } from './process-threads';
import { countRequests } from './request-counts';
import { threadCpuMs } from './thread-cpu';

/** Requests to dynalite, kinesalite and @connections so far, for the benchmark's per-phase counts. */
const requests = countRequests();

/**
 * Child-process side of runtime-process.ts: runs the local runtime (or the bare ws server) in a process of its own, so
 * the benchmark's clients never share its thread, and answers the benchmark's questions over IPC.
 */
async function main(): Promise<void> {
  const start = JSON.parse(process.env.BENCH_HOST_START ?? '{}') as HostStart;
  let runtime: LocalRuntime | undefined;
  let stop: () => Promise<void>;
  if (start.kind === 'bare') {
    const bare = await startBareBroadcastServer();
    stop = bare.stop;
    send({ kind: 'ready', webSocketUrl: bare.url });
  } else {
    runtime = await startLocalRuntime({ port: 0, host: '127.0.0.1', dataDir: start.dataDir, settings: start.settings, log: process.env.BENCH_RUNTIME_LOG ? (line) => process.stderr.write(`${line}\n`) : () => undefined });
    stop = () => (runtime as LocalRuntime).stop();
    send({
      kind: 'ready',
      webSocketUrl: runtime.webSocketUrl,
      managementApiUrl: runtime.managementApiUrl,
      kinesis: runtime.kinesis,
    });
  }
  // The benchmark died without stopping us (an uncaught error, a timeout's kill): leave no runtime behind.
  let stopping: Promise<void> | undefined;
  const stopOnce = () => (stopping ??= stop());
  process.once('disconnect', () => void stopOnce().finally(() => process.exit(1)));
  process.on('message', (request: HostRequest) => {
    switch (request.kind) {
      case 'state':
        send({
          kind: 'state',
          id: request.id,
          stats: runtime?.managementStats() ?? { posts: 0, gone: 0 },
          openConnectionIds: request.withIds ? (runtime?.openConnectionIds() ?? []) : [],
          openConnections: runtime?.openConnectionIds().length ?? 0,
          cpuMs: threadCpuMs(),
          threads: threadCpuByTid(),
          invocations: runtime?.invocations() ?? {},
          requests: { ...requests },
          pid: process.pid,
        });
        break;
      case 'stop':
        void stopOnce().finally(() => process.send?.({ kind: 'stopped' } satisfies HostReply, () => process.exit(0)));
        break;
    }
  });
}

function send(reply: HostReply): void {
  process.send?.(reply);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
