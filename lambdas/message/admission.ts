import type { Connection } from '../shared/connections-store';
import { logger } from '../shared/logger';
import { recordMetric } from '../shared/metrics';
import type { ClientAction } from '../../contract/protocol';
import { ERROR_CODES } from '../shared/protocol/error-codes';
import { ProtocolError } from '../shared/protocol/protocol-error';
import type { RateLimiter } from './rate-limiter';

/**
 * Which token bucket each action spends from; `join` and `history` answer only the sender and are not limited.
 * `stopAnswer` writes to DynamoDB, so a flood of them is limited like messages.
 */
export const BUCKET_OF_ACTION = {
  sendMessage: 'messages',
  stopAnswer: 'messages',
  typing: 'drafts',
} as const satisfies Partial<Record<ClientAction, string>>;

export type BucketName = (typeof BUCKET_OF_ACTION)[keyof typeof BUCKET_OF_ACTION];

/**
 * Refusals this instance gave, per connection and bucket, until the bucket has a token again: while a client floods,
 * its frames are refused from memory, without a DynamoDB round trip each. Exact, not a guess: within `retryAfterMs`
 * the shared bucket cannot have a token (other instances can only spend more), and another instance that has not seen
 * the refusal still asks DynamoDB.
 */
export class RecentRefusals {
  private readonly until = new Map<string, number>();

  public constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  /** How long the connection must still wait for this bucket, if this instance refused it recently. */
  public waitFor(connectionId: string, bucket: BucketName): number | undefined {
    const key = `${connectionId} ${bucket}`;
    const until = this.until.get(key);
    if (until === undefined) return undefined;
    const wait = until - this.now();
    if (wait > 0) return wait;
    this.until.delete(key);
    return undefined;
  }

  public remember(connectionId: string, bucket: BucketName, retryAfterMs: number): void {
    const key = `${connectionId} ${bucket}`;
    this.until.delete(key);
    if (this.until.size >= this.maxEntries) this.until.delete(this.until.keys().next().value as string);
    this.until.set(key, this.now() + retryAfterMs);
  }
}

function bucketOf(action: ClientAction): BucketName | undefined {
  return action in BUCKET_OF_ACTION ? BUCKET_OF_ACTION[action as keyof typeof BUCKET_OF_ACTION] : undefined;
}

function rateLimited(action: ClientAction, bucket: BucketName, retryAfterMs: number): ProtocolError {
  recordMetric('rateLimited', 1, bucket);
  // stopAnswer spends from the messages bucket, so its refusal names both.
  const what = action === 'stopAnswer' ? 'messages and stop requests; this stop was not done' : `${bucket === 'messages' ? 'messages' : 'draft updates'}; this one was not sent`;
  return new ProtocolError(ERROR_CODES.rateLimited, `Too many ${what}. Try again in ${retryAfterMs} ms.`, { retryAfterMs });
}

/** Throws `rate_limited` at once when this instance refused the connection's bucket moments ago and it is still empty. */
export function refuseIfStillLimited(action: ClientAction, connectionId: string, refusals: RecentRefusals): void {
  const bucket = bucketOf(action);
  const wait = bucket && refusals.waitFor(connectionId, bucket);
  if (bucket && wait) throw rateLimited(action, bucket, Math.ceil(wait));
}

/** Takes a token for the action, or throws the `rate_limited` (or `not_connected`) error its sender should see. */
export async function admit(action: ClientAction, sender: Connection, limiter: RateLimiter, refusals: RecentRefusals): Promise<void> {
  const bucket = bucketOf(action);
  if (!bucket) return;
  const admission = await limiter.take(sender.connectionId, bucket, sender.buckets?.[bucket]);
  if (admission.admitted) return;
  if ('gone' in admission) throw new ProtocolError(ERROR_CODES.notConnected, 'This connection is not registered; reconnect');
  // Once per refusal window: until retryAfterMs has passed, this environment refuses the connection from memory.
  logger.info('Connection over its rate limit', { bucket, retryAfterMs: admission.retryAfterMs });
  refusals.remember(sender.connectionId, bucket, admission.retryAfterMs);
  throw rateLimited(action, bucket, admission.retryAfterMs);
}
