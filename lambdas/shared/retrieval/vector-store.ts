/** The seam between retrieval and the vector database: Pinecone in AWS and locally (PineconeVectorStore). */

export type MetadataValue = string | number | boolean | string[];
export type RecordMetadata = Record<string, MetadataValue>;

/** Pinecone's metadata filter language, e.g. `{ source: { $eq: 'knowledge/deploy.md' } }` or `{ $and: [...] }`. */
export type MetadataFilter = Record<string, unknown>;

export interface VectorRecord {
  id: string;
  values: number[];
  metadata?: RecordMetadata;
}

export interface VectorMatch {
  id: string;
  score: number;
  values?: number[];
  metadata?: RecordMetadata;
}

export interface VectorQuery {
  vector: number[];
  topK: number;
  filter?: MetadataFilter;
  /** @default true */
  includeMetadata?: boolean;
  /** @default false */
  includeValues?: boolean;
}

export interface VectorStoreStats {
  /** Vector length of the index; undefined when the index does not say. */
  dimension?: number;
  /** Records in the store's namespace. */
  recordCount: number;
  /** Records per namespace of the whole index. */
  namespaces: Record<string, number>;
}

/** One namespace of one index. Every method maps to one or more requests of the vector database's data plane. */
export interface VectorStore {
  readonly namespace: string;
  /** Writes records (replacing any with the same id), in as many requests as its limits need. */
  upsert(records: readonly VectorRecord[]): Promise<{ upserted: number; requests: number }>;
  /** The `topK` nearest records, best first. */
  query(query: VectorQuery): Promise<VectorMatch[]>;
  /** Deletes records by id; unknown ids are ignored. */
  delete(ids: readonly string[]): Promise<void>;
  /** Every id starting with `prefix` ('' lists the whole namespace), sorted, following pagination to the end. */
  listIds(prefix: string): Promise<string[]>;
  describeStats(): Promise<VectorStoreStats>;
}
