// How fast a stopped answer stops, and what ordinary chat costs the bot, through the whole local runtime (the shipped
// bundles, dynalite, kinesalite) with the offline bot. `npm run bench:stop [-- --rounds 10]`.
//
// Baseline, measured in the same run on the same runtime: a message's send-to-echo time (the path every frame takes
// through the message function, Kinesis and fanout). A stop costs that path plus the bot noticing the request on its
// claim (one read every 250 ms) and publishing the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalRuntime } from '../local/runtime';
import { BenchClient } from './bench/bench-client';
import { percentile } from './bench/stats';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '10' } } });
const ROUNDS = Number(args.rounds);
const WAIT_MS = 30_000;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-stop-'));
  const runtime = await startLocalRuntime({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    settings: {
      logLevel: 'ERROR',
      botAnswersPerRoomPerMinute: '1000',
      botAnswersPerMinute: '1000',
      botAnswersPerConnectionPerMinute: '1000',
      botAnswersPerSourceIpPerMinute: '1000',
    },
    log: () => undefined,
  });
  const echoMs: number[] = [];
  const stopMs: number[] = [];
  const kept: number[] = [];
  let stoppedRight = 0;
  let ordinaryInvocations = 0;
  let fullLength = 0;
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      const client = new BenchClient(`${runtime.webSocketUrl}?room=stop-${round}&name=Asker`);
      await client.opened(WAIT_MS);
      client.send({ action: 'join' });
      await client.next((frame) => frame.type === 'welcome', WAIT_MS);

      const before = runtime.invocations().bot;
      const hello = `hello everyone ${round}`;
      const sentAt = performance.now();
      client.send({ action: 'sendMessage', text: hello });
      await client.next((frame) => frame.type === 'user' && frame.text === hello, WAIT_MS);
      echoMs.push(performance.now() - sentAt);

      const question = `@bot how do I deploy this? (${round})`;
      client.send({ action: 'sendMessage', text: question });
      const delta = await client.next((frame) => frame.type === 'ai' && frame.state === 'delta', WAIT_MS);
      // Ordinary chat before the question: any invocation beyond the question's one was spent on it.
      ordinaryInvocations += runtime.invocations().bot - before - 1;
      if (round === 0) {
        // One answer left to finish, for the length a stop saves.
        const end = await client.next((frame) => frame.type === 'ai' && frame.state === 'end', WAIT_MS);
        fullLength = String(end?.text ?? '').length;
      } else {
        const stopAt = performance.now();
        client.send({ action: 'stopAnswer', id: delta?.id });
        const end = await client.next((frame) => frame.type === 'ai' && frame.state === 'end', WAIT_MS);
        stopMs.push(performance.now() - stopAt);
        if (end?.stopReason === 'stopped') stoppedRight += 1;
        kept.push(String(end?.text ?? '').length);
      }
      client.close();
    }
  } finally {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const p = (values: number[], q: number) => percentile(values, q).toFixed(0);
  console.log(`rounds: ${ROUNDS} (one answer finished, ${stopMs.length} stopped after their first delta), offline bot`);
  console.log(`baseline, message send -> echo: p50 ${p(echoMs, 50)} ms, max ${p(echoMs, 100)} ms`);
  console.log(`stopAnswer -> ai end "stopped":  p50 ${p(stopMs, 50)} ms, max ${p(stopMs, 100)} ms (${(percentile(stopMs, 50) / Math.max(1, percentile(echoMs, 50))).toFixed(1)}x the echo)`);
  console.log(`ended with stopReason "stopped": ${stoppedRight} of ${stopMs.length}; text kept p50 ${p(kept, 50)} of ${fullLength} characters of a full answer`);
  console.log(`bot invocations for ${ROUNDS} ordinary messages: ${ordinaryInvocations}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
