/** Pinecone's data-plane limits, enforced locally so code that passes here passes there. */
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

/** gRPC status codes Pinecone puts in the `code` field of its error bodies. */
export const GRPC_CODES = {
  invalidArgument: 3,
  notFound: 5,
  permissionDenied: 7,
  unimplemented: 12,
  internal: 13,
  unauthenticated: 16,
} as const;
