import '../local/quiet-sdk-warning';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { MANAGEMENT_API_ENV_VAR } from '../contract';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/services/local-credentials';
import { bundleWorker } from './bench/bundle';
import { POST_MODES, type PostJob, type PostResult } from './bench/post-job';
import { startHosted } from './bench/runtime-process';
import { sleep, waitUntil } from './bench/stats';

/**
 * How many @connections posts per second one fanout invocation gets through the local management API: N WebSocket
 * clients, then a worker thread posting to each of them R times with concurrency C, through the shipped
 * ConnectionPoster, through the SDK's ApiGatewayManagementApiClient and, as the floor in the same run, bare keep-alive HTTP.
 * The runtime runs in a child process of its own, as `npm start` does: the clients here do not share its thread.
 *
 *   npx tsx scripts/bench-connections-api.ts [--connections 500] [--concurrency 32] [--rounds 10]
 */
const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '10' },
  },
});
const CONNECTIONS = Number(args.connections);
const LABELS = { http: 'bare keep-alive HTTP', sdk: 'SDK client (before)', poster: 'ConnectionPoster (shipped)' } as const;
const CONCURRENCY = Number(args.concurrency);
const ROUNDS = Number(args.rounds);

function runWorker(path: string, job: PostJob): Promise<PostResult> {
  const worker = new Worker(path, {
    workerData: job,
    env: {
      [MANAGEMENT_API_ENV_VAR]: job.endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: PostResult | { error: string }) => {
      void worker.terminate();
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-api-'));
  const runtime = await startHosted({ kind: 'runtime', dataDir, settings: { botAnswersPerRoomPerMinute: '0', logLevel: 'ERROR' } });
  const received = { count: 0 };
  const sockets: WebSocket[] = [];
  try {
    const workerPath = await bundleWorker(join(__dirname, 'bench/post-worker.ts'), join(dataDir, 'bench-worker'));
    // One room per client: their join announcements reach nobody, so the posts measured are the only traffic.
    for (let i = 0; i < CONNECTIONS; i += 1) {
      const socket = new WebSocket(`${runtime.webSocketUrl}?room=api-${i}`);
      socket.on('message', () => (received.count += 1));
      // A refused handshake (a $connect that failed on a starved machine) is counted below, not thrown.
      socket.on('error', () => undefined);
      sockets.push(socket);
    }
    let open = 0;
    const deadline = Date.now() + 60_000;
    while ((open = (await runtime.state()).openConnections) < CONNECTIONS && Date.now() < deadline) await sleep(100);
    if (open < CONNECTIONS) throw new Error(`Only ${open} of ${CONNECTIONS} clients connected within 60 s`);
    const { openConnectionIds: connectionIds } = await runtime.state(true);
    // Settle: the stream is read in order, so once a message sent after every join comes back, the joins are through.
    const settled = new Promise<void>((resolve) => sockets[0]?.on('message', (data: Buffer) => data.toString().includes('"settle"') && resolve()));
    sockets[0]?.send(JSON.stringify({ action: 'sendMessage', text: 'settle' }));
    await Promise.race([settled, sleep(30_000)]);
    await sleep(500);
    console.log(
      `@connections throughput: ${CONNECTIONS} WebSocket clients, one worker posting ${ROUNDS} rounds to each with ` +
        `concurrency ${CONCURRENCY} (local runtime in its own process, Node ${process.versions.node}, ${process.platform}, ${availableParallelism()} cores).`,
    );
    console.log('  CPU µs/post counts one thread\'s own CPU time, so it holds when other work shares the cores; "one free core"');
    console.log('  is the rate the busier of the two threads (poster, gateway) could sustain on a core of its own.\n');
    console.log('  poster                       posts/s   poster CPU µs/post  gateway CPU µs/post  one free core  delivered');
    const capacity: Partial<Record<PostJob['mode'], number>> = {};
    for (const mode of POST_MODES) {
      const before = received.count;
      const gatewayCpuBefore = (await runtime.state()).cpuMs;
      const result = await runWorker(workerPath, { mode, endpoint: runtime.managementApiUrl, connectionIds, concurrency: CONCURRENCY, rounds: ROUNDS });
      const expected = before + result.posts - result.failed + Math.min(CONCURRENCY, CONNECTIONS);
      const delivered = await waitUntil(() => received.count >= expected, 10_000);
      const gatewayCpuAfter = (await runtime.state()).cpuMs;
      const perPost = (cpuMs: number | undefined) => (cpuMs === undefined ? undefined : (cpuMs * 1000) / result.posts);
      const posterUs = perPost(result.cpuMs);
      const gatewayUs = perPost(gatewayCpuBefore === undefined || gatewayCpuAfter === undefined ? undefined : gatewayCpuAfter - gatewayCpuBefore);
      const busiest = Math.max(posterUs ?? 0, gatewayUs ?? 0);
      if (busiest > 0) capacity[mode] = 1e6 / busiest;
      const cell = (value: number | undefined, width: number) => (value === undefined ? 'n/a' : value.toFixed(0)).padStart(width);
      console.log(
        `  ${LABELS[mode].padEnd(26)} ${cell((result.posts * 1000) / result.ms, 9)} ${cell(posterUs, 20)} ${cell(gatewayUs, 20)} ${cell(capacity[mode], 14)}` +
          `  ${delivered && result.failed === 0 ? 'all' : `${expected - received.count} not received, ${result.failed} failed`}`,
      );
    }
    if (capacity.poster && capacity.sdk && capacity.http) {
      console.log(
        `\n  shipped poster vs the SDK client: ${(capacity.poster / capacity.sdk).toFixed(2)}x; ` +
          `vs bare HTTP: ${(capacity.poster / capacity.http).toFixed(2)}x`,
      );
    }
  } finally {
    for (const socket of sockets) socket.terminate();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
