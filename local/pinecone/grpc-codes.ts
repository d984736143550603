/** gRPC status codes Pinecone puts in the `code` field of its error bodies. */
export const GRPC_CODES = {
  invalidArgument: 3,
  notFound: 5,
  permissionDenied: 7,
  unimplemented: 12,
  internal: 13,
  unauthenticated: 16,
} as const;
