import type { IndexFile, Metadata, Metric, StoredRecord } from './types';

/** The records of one index, by namespace, in memory. Namespaces appear on first upsert and vanish when emptied. */
export class VectorIndex {
  public readonly dimension: number;
  public readonly metric: Metric;
  private readonly namespaces = new Map<string, Map<string, StoredRecord & { norm: number }>>();

  public constructor(dimension: number, metric: Metric) {
    this.dimension = dimension;
    this.metric = metric;
  }

  public static fromFile(file: IndexFile): VectorIndex {
    const index = new VectorIndex(file.dimension, file.metric);
    for (const [namespace, records] of Object.entries(file.namespaces)) {
      for (const [id, record] of Object.entries(records)) index.upsert(namespace, id, record.values, record.metadata);
    }
    return index;
  }

  public toFile(): IndexFile {
    const namespaces: IndexFile['namespaces'] = {};
    for (const [namespace, records] of this.namespaces) {
      namespaces[namespace] = Object.fromEntries(
        [...records].map(([id, { values, metadata }]) => [id, metadata ? { values, metadata } : { values }]),
      );
    }
    return { version: 1, dimension: this.dimension, metric: this.metric, namespaces };
  }

  public upsert(namespace: string, id: string, values: number[], metadata: Metadata | undefined): void {
    let records = this.namespaces.get(namespace);
    if (!records) {
      records = new Map();
      this.namespaces.set(namespace, records);
    }
    records.set(id, { values, ...(metadata ? { metadata } : {}), norm: Math.sqrt(dot(values, values)) });
  }

  public get(namespace: string, id: string): StoredRecord | undefined {
    const record = this.namespaces.get(namespace)?.get(id);
    return record && (record.metadata ? { values: record.values, metadata: record.metadata } : { values: record.values });
  }

  /** Deletes the ids given (or every record matching `keep === false`); returns how many went. */
  public delete(namespace: string, which: { ids: readonly string[] } | { where: (metadata: Metadata) => boolean } | 'all'): number {
    const records = this.namespaces.get(namespace);
    if (!records) return 0;
    let deleted = 0;
    if (which === 'all') deleted = records.size;
    else if ('ids' in which) for (const id of which.ids) deleted += records.delete(id) ? 1 : 0;
    else {
      for (const [id, record] of records) {
        if (which.where(record.metadata ?? {})) deleted += records.delete(id) ? 1 : 0;
      }
    }
    if (which === 'all' || records.size === 0) this.namespaces.delete(namespace);
    return deleted;
  }

  /** Ids of a namespace in byte order (Pinecone lists in "C" collation). */
  public ids(namespace: string): string[] {
    return [...(this.namespaces.get(namespace)?.keys() ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The `topK` best records for `vector`: highest similarity first (cosine, dot product), nearest first (euclidean). */
  public nearest(namespace: string, vector: readonly number[], topK: number, where: (metadata: Metadata) => boolean): { id: string; score: number; record: StoredRecord }[] {
    const records = this.namespaces.get(namespace);
    if (!records) return [];
    const queryNorm = Math.sqrt(dot(vector, vector));
    const scored: { id: string; score: number; record: StoredRecord }[] = [];
    for (const [id, record] of records) {
      if (!where(record.metadata ?? {})) continue;
      scored.push({ id, score: this.score(vector, queryNorm, record), record });
    }
    const ascending = this.metric === 'euclidean';
    scored.sort((a, b) => (a.score === b.score ? (a.id < b.id ? -1 : 1) : ascending ? a.score - b.score : b.score - a.score));
    return scored.slice(0, topK);
  }

  /** Records per namespace, counting only those `where` accepts. */
  public counts(where: (metadata: Metadata) => boolean): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [namespace, records] of this.namespaces) {
      let count = 0;
      for (const record of records.values()) if (where(record.metadata ?? {})) count += 1;
      if (count > 0) counts[namespace] = count;
    }
    return counts;
  }

  private score(vector: readonly number[], queryNorm: number, record: StoredRecord & { norm: number }): number {
    if (this.metric === 'dotproduct') return dot(vector, record.values);
    if (this.metric === 'euclidean') {
      let sum = 0;
      for (let index = 0; index < vector.length; index += 1) sum += ((vector[index] as number) - (record.values[index] as number)) ** 2;
      return sum;
    }
    const denominator = queryNorm * record.norm;
    return denominator === 0 ? 0 : dot(vector, record.values) / denominator;
  }
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += (a[index] as number) * (b[index] as number);
  return sum;
}
