import './quiet-sdk-warning';
import { performance } from 'node:perf_hooks';
import { SettingsError } from '../contract';
import { DataDirInUseError } from './data-dir-lock';
import { startLocalRuntime } from './runtime';
import { formatSeconds } from './startup-steps';

/** `npm start`: the whole chat on one port. PORT, HOST, DATA_DIR and FRESH=1 (or --fresh) configure it. */
async function main(): Promise<void> {
  const fresh = process.argv.includes('--fresh') || ['1', 'true'].includes(process.env.FRESH ?? '');
  const started = performance.now();
  console.log(`Starting the chat${fresh ? ' fresh' : ''}:`);
  const runtime = await startLocalRuntime({
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
    host: process.env.HOST || undefined,
    dataDir: process.env.DATA_DIR || undefined,
    fresh,
  });
  console.log(
    [
      '',
      `Chat is running (ready in ${formatSeconds(performance.now() - started)}).`,
      `  page:       ${runtime.pageUrl}`,
      `  websocket:  ${runtime.webSocketUrl}  (or ${runtime.webSocketUrl}/prod, as on API Gateway)`,
      `  try:        npx wscat -c "${runtime.webSocketUrl}?room=lobby&name=Ann"`,
      `              then  {"action":"join"}  then  {"action":"sendMessage","text":"hi"}`,
      `  data:       ${runtime.dataDir}${fresh ? ' (started fresh)' : ' (kept across restarts; FRESH=1 npm start starts empty)'}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') console.error(`The local runtime could not start: port ${process.env.PORT || 8080} is in use; choose another with PORT=...`);
  else if (error instanceof DataDirInUseError || error instanceof SettingsError) console.error(`The local runtime could not start: ${error.message}`);
  else console.error('The local runtime could not start:', error);
  process.exit(1);
});
