// `npm start` stopped the way a process manager or a terminal's kill stops it: SIGTERM to npm itself. npm passes the
// signal to its script's process only, so the script must be the runtime's launcher (`exec tsx ...`), not a shell
// that dies alone and leaves the runtime running, orphaned, on its port and data folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RUNTIME_FILES } from '../../local/data-dir-lock';

const ROOT = resolve(__dirname, '../..');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it('SIGTERM to npm stops the runtime it started: gone once npm is, its pid file removed', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-npm-start-'));
  let runtimePid: number | undefined;
  try {
    const npm = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, PORT: '0', DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => npm.once('exit', (code) => done(code)));
    let output = '';
    await new Promise<void>((ready, fail) => {
      npm.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/websocket:\s+ws:\/\//.test(output)) ready();
      });
      npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      npm.once('exit', () => fail(new Error(`npm start exited before it was ready:\n${output}`)));
    });
    runtimePid = Number(readFileSync(join(dataDir, RUNTIME_FILES.pid), 'utf8'));
    expect(isRunning(runtimePid)).toBe(true);

    npm.kill('SIGTERM');
    await exited;
    expect(isRunning(runtimePid)).toBe(false);
    expect(existsSync(join(dataDir, RUNTIME_FILES.pid))).toBe(false);
    expect(output).toContain('SIGTERM: stopping');
  } finally {
    // A runtime this test failed to stop must not outlive it.
    if (runtimePid !== undefined && isRunning(runtimePid)) process.kill(runtimePid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
