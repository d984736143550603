/** What one posting worker does (scripts/bench/post-worker.ts) and what it reports. */
/**
 * How the worker posts: `poster` goes through the shipped ConnectionPoster (lambdas/shared/connection-poster.ts: the
 * request signed with SigV4, the SDK's retry strategy, keep-alive); `sdk` sends the same request through the SDK's
 * ApiGatewayManagementApiClient (PostToConnectionCommand, keep-alive, middleware cached), as fanout did before;
 * `http` is the floor, bare unsigned keep-alive HTTP POSTs to the same URLs.
 */
export const POST_MODES = ['http', 'sdk', 'poster'] as const;

export interface PostJob {
  mode: (typeof POST_MODES)[number];
  endpoint: string;
  connectionIds: string[];
  concurrency: number;
  rounds: number;
}

export interface PostResult {
  posts: number;
  failed: number;
  ms: number;
  /** CPU time of the posting thread while posting, when the platform tells. */
  cpuMs: number | undefined;
}

