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

  /** The next item, round-robin over callers (a Map keeps insertion order: the caller served goes to the back). */
  public shift(): T | undefined {
    const next = this.byCaller.entries().next();
    if (next.done) return undefined;
    const [caller, items] = next.value;
    const item = items.shift() as T;
    this.byCaller.delete(caller);
    if (items.length > 0) this.byCaller.set(caller, items);
    this.count -= 1;
    return item;
  }

  /** Every waiting item, oldest caller first; the queue is empty afterwards. */
  public drain(): T[] {
    const items = [...this.byCaller.values()].flat();
    this.byCaller.clear();
    this.count = 0;
    return items;
  }
}
