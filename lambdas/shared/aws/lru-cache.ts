/**
 * Stands in for `mnemonist/lru-cache` in the function bundles (contract `BUNDLING.alias`). The DynamoDB client builds
 * one for endpoint discovery (`@aws-sdk/endpoint-cache`, which uses `get`, `peek`, `has`, `set` and `clear`) and
 * never reads it unless discovery is turned on; mnemonist's typed-array LRU and its helpers are 7 KB of every bundle,
 * a `Map` (which keeps insertion order) does the same in a few lines.
 */
export default class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  public constructor(private readonly capacity: number) {}

  public get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used. */
  public get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value, leaving the order as it is. */
  public peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  public has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Stores the value as the most recently used, dropping the least recently used past the capacity. */
  public set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    return this;
  }

  public clear(): void {
    this.entries.clear();
  }
}
