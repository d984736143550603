/**
 * A queue that takes turns between callers: `shift` returns the oldest item of the caller whose turn it is, then moves
 * on to the next caller that has items waiting. Each caller's own items stay in order.
 */
export class CallerQueue<T> {
  private readonly byCaller = new Map<string, T[]>();
  private count = 0;

  public get size(): number {
    return this.count;
  }

  public push(caller: string, item: T): void {
    const items = this.byCaller.get(caller);
    if (items) items.push(item);
    else this.byCaller.set(caller, [item]);
    this.count += 1;
  }

  /**
   * The next item, round-robin over callers (a Map keeps insertion order: the caller served goes to the back). Callers
   * for which `mayRun` says no keep their place and their items; undefined when no caller may run now.
   */
  public shift(mayRun: (caller: string) => boolean = () => true): T | undefined {
    for (const [caller, items] of this.byCaller) {
      if (!mayRun(caller)) continue;
      const item = items.shift() as T;
      this.byCaller.delete(caller);
      if (items.length > 0) this.byCaller.set(caller, items);
      this.count -= 1;
      return item;
    }
    return undefined;
  }

  /** Whether some caller that `mayRun` allows has an item waiting. */
  public has(mayRun: (caller: string) => boolean): boolean {
    for (const caller of this.byCaller.keys()) if (mayRun(caller)) return true;
    return false;
  }

  /** How many items could start now, when each caller may start at most `room(caller)` more. */
  public startable(room: (caller: string) => number): number {
    let count = 0;
    for (const [caller, items] of this.byCaller) count += Math.min(items.length, Math.max(0, room(caller)));
    return count;
  }

  /** Every waiting item, oldest caller first; the queue is empty afterwards. */
  public drain(): T[] {
    const items = [...this.byCaller.values()].flat();
    this.byCaller.clear();
    this.count = 0;
    return items;
  }
}
