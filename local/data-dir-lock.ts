import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Another local runtime already uses the data folder: its LevelDB stores cannot be opened twice. */
export class DataDirInUseError extends Error {
  public constructor(dataDir: string, pid: number) {
    super(
      `The data folder ${dataDir} is in use by another local runtime (process ${pid}). ` +
        'Stop it first, or give this one its own folder with DATA_DIR=... (and another PORT).',
    );
    this.name = 'DataDirInUseError';
  }
}

/** The files a running local runtime keeps in its data folder: its process id (the lock) and the port it serves. */
export const RUNTIME_FILES = { pid: 'runtime.pid', port: 'runtime.port' } as const;

/** Folders claimed by runtimes of this very process (a pid file cannot tell them apart). */
const claimedHere = new Set<string>();

/** Claims `dataDir` for this process; a lock left by a process that no longer runs is taken over. */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, RUNTIME_FILES.pid);
  const portPath = join(dataDir, RUNTIME_FILES.port);
  if (claimedHere.has(path)) throw new DataDirInUseError(dataDir, process.pid);
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      claimedHere.add(path);
      rmSync(portPath, { force: true }); // left by a runtime that did not stop cleanly
      return () => {
        claimedHere.delete(path);
        rmSync(portPath, { force: true });
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readFileSync(path, 'utf8'));
    if (owner !== process.pid && isRunning(owner)) throw new DataDirInUseError(dataDir, owner);
    rmSync(path, { force: true });
  }
}

/** Records the port the runtime holding the lock on `dataDir` serves, so tools (npm run ingest) can find it. */
export function recordRuntimePort(dataDir: string, port: number): void {
  writeFileSync(join(dataDir, RUNTIME_FILES.port), String(port));
}

/** The port of the local runtime running on `dataDir`, if one runs there and has started listening. */
export function runningRuntimePort(dataDir: string): number | undefined {
  const read = (file: string): number => {
    try {
      return Number(readFileSync(join(dataDir, file), 'utf8'));
    } catch {
      return Number.NaN;
    }
  };
  const port = read(RUNTIME_FILES.port);
  return isRunning(read(RUNTIME_FILES.pid)) && Number.isInteger(port) && port > 0 ? port : undefined;
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
