/** What one posting worker does (scripts/bench/post-worker.ts) and what it reports. */
/**
 * How the worker posts: `sdk` goes through the shipped ConnectionPoster (the
 * real ApiGatewayManagementApiClient, SigV4 and all, from lambdas/shared/aws/management-api-client); `sdk-uncached` is the same
 * with the client as it was before (keep-alive, but the middleware stack resolved on every post); `http` is the
 * floor, bare keep-alive HTTP POSTs to the same URLs with no SDK.
 */
export const POST_MODES = ['http', 'sdk-uncached', 'sdk'] as const;

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

