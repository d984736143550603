export type MetadataValue = string | number | boolean | string[];
export type Metadata = Record<string, MetadataValue>;
export type Metric = 'cosine' | 'dotproduct' | 'euclidean';

export interface StoredRecord {
  values: number[];
  metadata?: Metadata;
}

/** The whole index as persisted: `<dataDir>/pinecone/<index>.json`. */
export interface IndexFile {
  version: 1;
  dimension: number;
  metric: Metric;
  /** namespace -> id -> record */
  namespaces: Record<string, Record<string, StoredRecord>>;
}
