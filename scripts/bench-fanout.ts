import '../local/quiet-sdk-warning';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startLocalRuntime } from '../local/runtime';

/**
 * Benchmark: how long one message takes to reach every member of a busy room, through the whole local path
 * (gateway -> message Lambda -> Kinesis -> fanout Lambda -> @connections -> every socket). Runs the same load with
 * fanout posting one at a time (the baseline) and with its configured concurrency, and prints both and their ratio.
 *
 *   npm run bench                 # 200 listeners, 20 messages
 *   ROOM_SIZE=500 MESSAGES=30 npm run bench
 */

const ROOM_SIZE = Number(process.env.ROOM_SIZE ?? 200);
const MESSAGES = Number(process.env.MESSAGES ?? 20);
/** A PostToConnection from Lambda to API Gateway in the same region takes a few milliseconds; loopback takes none. */
const POST_LATENCY_MS = Number(process.env.POST_LATENCY_MS ?? 5);

interface Figures {
  concurrency: number;
  firstMs: number[];
  allMs: number[];
}

async function measure(concurrency: number): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const runtime = await startLocalRuntime({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    settings: { fanoutConcurrency: String(concurrency), logLevel: 'ERROR' },
    log: () => undefined,
    managementLatencyMs: POST_LATENCY_MS,
  });
  const url = `ws://127.0.0.1:${runtime.port}?room=bench`;
  const listeners = await Promise.all(
    Array.from({ length: ROOM_SIZE }, () => new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    })),
  );
  const sender = listeners[0] as WebSocket;
  const figures: Figures = { concurrency, firstMs: [], allMs: [] };
  // Round -1 is a warm-up: it queues behind every join announcement, so once it arrives the room is quiet.
  for (let i = -1; i < MESSAGES; i += 1) {
    const text = `bench ${concurrency} ${i}`;
    const started = performance.now();
    const arrivals = listeners.map(
      (socket) =>
        new Promise<number>((resolve) => {
          const onMessage = (data: Buffer) => {
            if (!data.toString().includes(`"text":"${text}"`)) return;
            socket.off('message', onMessage);
            resolve(performance.now() - started);
          };
          socket.on('message', onMessage);
        }),
    );
    sender.send(JSON.stringify({ action: 'sendMessage', text }));
    const times = await Promise.all(arrivals);
    if (i < 0) continue;
    figures.firstMs.push(Math.min(...times));
    figures.allMs.push(Math.max(...times));
  }
  for (const socket of listeners) socket.terminate();
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return figures;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function row(figures: Figures): string {
  const f = (value: number) => value.toFixed(1).padStart(8);
  return `${String(figures.concurrency).padStart(11)} ${f(percentile(figures.firstMs, 50))} ${f(percentile(figures.allMs, 50))} ${f(percentile(figures.allMs, 95))}`;
}

async function main(): Promise<void> {
  console.log(
    `Fanout to a room of ${ROOM_SIZE} WebSocket clients, ${MESSAGES} messages per run, each @connections post delayed ` +
      `${POST_LATENCY_MS} ms to stand in for the network (local runtime, Node ${process.versions.node}, ${process.platform}).`,
  );
  const baseline = await measure(1);
  const configured = await measure(32);
  console.log('');
  console.log('concurrency first p50  all p50  all p95   (ms from send to the first / the last member receiving it)');
  console.log(row(baseline));
  console.log(row(configured));
  console.log('');
  console.log(`Speed-up of the whole-room delivery at p50: ${(percentile(baseline.allMs, 50) / percentile(configured.allMs, 50)).toFixed(1)}x`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
