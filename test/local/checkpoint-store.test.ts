import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '../../local/event-source/checkpoint-store';

describe('CheckpointStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });
  const onDisk = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;

  it('coalesces moves into one write after a short delay', () => {
    const path = join(dir, 'checkpoints.json');
    const store = new CheckpointStore(path);
    store.set('fanout', 'shard-0', '1');
    store.set('fanout', 'shard-0', '2');
    jest.advanceTimersByTime(1_000);
    expect(onDisk(path)).toStrictEqual({ 'fanout/shard-0': '2' });
  });

  it('writes what it holds when closed, and never writes after, even when a late batch moves a checkpoint', () => {
    const path = join(dir, 'data', 'checkpoints.json');
    const store = new CheckpointStore(path);
    store.set('fanout', 'shard-0', '7');
    store.close();
    expect(onDisk(path)).toStrictEqual({ 'fanout/shard-0': '7' });

    // The runtime released its data folder; whatever finishes now must not write into it (or recreate it).
    rmSync(join(dir, 'data'), { recursive: true });
    store.set('fanout', 'shard-0', '8');
    jest.advanceTimersByTime(1_000);
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
    expect(store.get('fanout', 'shard-0')).toBe('8');
  });
});
