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

/** Folders claimed by runtimes of this very process (a pid file cannot tell them apart). */
const claimedHere = new Set<string>();

/** Claims `dataDir` for this process; a lock left by a process that no longer runs is taken over. */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'runtime.pid');
  if (claimedHere.has(path)) throw new DataDirInUseError(dataDir, process.pid);
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      claimedHere.add(path);
      return () => {
        claimedHere.delete(path);
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

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
