import type { Index } from '@pinecone-database/pinecone';
import { PINECONE_LIMITS, PINECONE_STORE_DEFAULTS } from './pinecone-limits';
import type { VectorMatch, VectorQuery, VectorRecord, VectorStore, VectorStoreStats } from './vector-store';

export interface PineconeVectorStoreProps {
  /** The index's data-plane client, e.g. `openPineconeIndex({ apiKey, host })`. */
  index: Index;
  /** @default 'default' */
  namespace?: string;
  /** Records per upsert request. @default 100 (Pinecone's recommendation; it accepts up to 1000) */
  maxBatchRecords?: number;
  /** Bytes of JSON per upsert request. @default 2 MB less 64 KB (Pinecone refuses requests over 2 MB) */
  maxBatchBytes?: number;
}

/** Envelope of an upsert body around its records: `{"vectors":[...],"namespace":"..."}`. */
const UPSERT_ENVELOPE_BYTES = 64;

/** One namespace of a Pinecone index through the official client, within Pinecone's request limits. */
export class PineconeVectorStore implements VectorStore {
  public readonly namespace: string;
  private readonly index: Index;
  private readonly maxBatchRecords: number;
  private readonly maxBatchBytes: number;

  public constructor(props: PineconeVectorStoreProps) {
    this.namespace = props.namespace ?? 'default';
    this.index = props.index.namespace(this.namespace);
    this.maxBatchRecords = props.maxBatchRecords ?? PINECONE_STORE_DEFAULTS.upsertBatchRecords;
    this.maxBatchBytes = props.maxBatchBytes ?? PINECONE_STORE_DEFAULTS.upsertBatchBytes;
    if (!Number.isInteger(this.maxBatchRecords) || this.maxBatchRecords < 1 || this.maxBatchRecords > PINECONE_LIMITS.maxUpsertRecords) {
      throw new TypeError(`maxBatchRecords must be an integer from 1 to ${PINECONE_LIMITS.maxUpsertRecords}, got ${String(props.maxBatchRecords)}`);
    }
  }

  public async upsert(records: readonly VectorRecord[]): Promise<{ upserted: number; requests: number }> {
    const batches = this.batches(records);
    for (const batch of batches) await this.index.upsert({ records: batch });
    return { upserted: records.length, requests: batches.length };
  }

  public async query(query: VectorQuery): Promise<VectorMatch[]> {
    const response = await this.index.query({
      vector: query.vector,
      topK: query.topK,
      includeMetadata: query.includeMetadata ?? true,
      includeValues: query.includeValues ?? false,
      ...(query.filter ? { filter: query.filter } : {}),
    });
    return response.matches.map((match) => ({
      id: match.id,
      score: match.score ?? 0,
      ...(match.values && match.values.length > 0 ? { values: match.values } : {}),
      ...(match.metadata ? { metadata: match.metadata } : {}),
    }));
  }

  public async delete(ids: readonly string[]): Promise<void> {
    for (const slice of slices(ids, PINECONE_LIMITS.maxIdsPerRequest)) await this.index.deleteMany({ ids: slice });
  }

  public async listIds(prefix: string): Promise<string[]> {
    const ids: string[] = [];
    let paginationToken: string | undefined;
    do {
      const page = await this.index.listPaginated({
        ...(prefix === '' ? {} : { prefix }),
        limit: PINECONE_STORE_DEFAULTS.listPageSize,
        ...(paginationToken ? { paginationToken } : {}),
      });
      for (const item of page.vectors ?? []) if (item.id !== undefined) ids.push(item.id);
      paginationToken = page.pagination?.next;
    } while (paginationToken);
    return ids;
  }

  public async describeStats(): Promise<VectorStoreStats> {
    const stats = await this.index.describeIndexStats();
    const namespaces = Object.fromEntries(Object.entries(stats.namespaces ?? {}).map(([name, summary]) => [name, summary.recordCount]));
    return {
      ...(stats.dimension !== undefined ? { dimension: stats.dimension } : {}),
      recordCount: namespaces[this.namespace] ?? 0,
      namespaces,
    };
  }

  /** Splits records into requests of at most `maxBatchRecords` records and `maxBatchBytes` bytes of JSON. */
  private batches(records: readonly VectorRecord[]): VectorRecord[][] {
    const batches: VectorRecord[][] = [];
    let current: VectorRecord[] = [];
    let bytes = UPSERT_ENVELOPE_BYTES + Buffer.byteLength(this.namespace);
    for (const record of records) {
      const size = Buffer.byteLength(JSON.stringify(record)) + 1;
      if (current.length > 0 && (current.length >= this.maxBatchRecords || bytes + size > this.maxBatchBytes)) {
        batches.push(current);
        current = [];
        bytes = UPSERT_ENVELOPE_BYTES + Buffer.byteLength(this.namespace);
      }
      current.push(record);
      bytes += size;
    }
    if (current.length > 0) batches.push(current);
    return batches;
  }
}

function slices<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}
