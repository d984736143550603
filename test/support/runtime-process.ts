import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface RuntimeProcess {
  process: ChildProcess;
  webSocketUrl: string;
  /** SIGKILL, as a crash would: no $disconnect for anyone, no flush. Resolves once the process is gone. */
  kill(): Promise<void>;
}

/**
 * `npm start` as its own process (node with tsx's loader) on a free port and the given data folder, resolving with
 * its WebSocket URL once it is ready. `env` adds settings as environment variables, as `npm start` reads them.
 */
export function startRuntimeProcess(dataDir: string, env: Record<string, string | undefined> = {}): Promise<RuntimeProcess> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => started.once('exit', () => done()));
  const kill = async () => {
    if (started.exitCode === null && started.signalCode === null) started.kill('SIGKILL');
    await exited;
  };
  let output = '';
  return new Promise((done, fail) => {
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /websocket:\s+(ws:\/\/\S+)/.exec(output)?.[1];
      if (url) done({ process: started, webSocketUrl: url, kill });
    });
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.once('exit', (code) => fail(new Error(`The runtime exited with ${code} before it was ready:\n${output}`)));
  });
}
