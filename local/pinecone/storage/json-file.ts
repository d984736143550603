import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A JSON document on disk written atomically (a temporary file renamed over it, so a crash never leaves half a file)
 * and debounced (many writes within `delayMs` become one).
 */
export class JsonFile<T> {
  private readonly path: string;
  private readonly delayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => T) | undefined;

  public constructor(path: string, delayMs: number) {
    this.path = path;
    this.delayMs = delayMs;
  }

  /** The document, or undefined when the file does not exist. A file that is not JSON is an error naming it. */
  public read(): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new Error(`${this.path} is not valid JSON (${(error as Error).message}); move it away to start with an empty index`);
    }
  }

  /** Writes `snapshot()` after the delay; a later call within the delay replaces the snapshot. */
  public schedule(snapshot: () => T): void {
    this.pending = snapshot;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref();
  }

  /** Writes a scheduled snapshot now. */
  public flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const snapshot = this.pending;
    this.pending = undefined;
    if (!snapshot) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(snapshot()));
    renameSync(temporary, this.path);
  }
}
