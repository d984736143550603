/**
 * Pinecone's data-plane limits (https://docs.pinecone.io/reference/api/database-limits): the store stays within them
 * and the local endpoint (local/pinecone) enforces them, so code that passes locally passes against Pinecone.
 */
export const PINECONE_LIMITS = {
  /** Bytes of a request body (upsert: "up to 2 MB total"). */
  maxRequestBytes: 2 * 1024 * 1024,
  /** Records per upsert. */
  maxUpsertRecords: 1000,
  /** Ids per fetch or delete. */
  maxIdsPerRequest: 1000,
  /** Characters of a record id. */
  maxIdLength: 512,
  /** Bytes of one record's metadata (as JSON). */
  maxMetadataBytes: 40 * 1024,
  /** Largest `topK`. */
  maxTopK: 10_000,
  /** Ids per list page when `limit` is not given, and the largest `limit` accepted. */
  defaultListLimit: 100,
  maxListLimit: 1000,
  /** Largest dense vector. */
  maxDimension: 20_000,
} as const;

/** How PineconeVectorStore batches its requests, within PINECONE_LIMITS. */
export const PINECONE_STORE_DEFAULTS = {
  /** Records per upsert request Pinecone recommends (it accepts up to PINECONE_LIMITS.maxUpsertRecords). */
  upsertBatchRecords: 100,
  /** Bytes of an upsert request body: a little under PINECONE_LIMITS.maxRequestBytes. */
  upsertBatchBytes: PINECONE_LIMITS.maxRequestBytes - 64 * 1024,
  /** Ids per list page. */
  listPageSize: PINECONE_LIMITS.defaultListLimit,
} as const;
