import type { Connection } from '../shared/connections-store';
import { recordMetric } from '../shared/metrics';
import type { ClientAction } from '../../contract/protocol';
import { ERROR_CODES } from '../shared/protocol/error-codes';
import { ProtocolError } from '../shared/protocol/protocol-error';
import type { RateLimiter } from './rate-limiter';

/** Which token bucket each action spends from; `join` and `history` answer only the sender and are not limited. */
export const BUCKET_OF_ACTION = {
  sendMessage: 'messages',
  typing: 'drafts',
} as const satisfies Partial<Record<ClientAction, string>>;

export type BucketName = (typeof BUCKET_OF_ACTION)[keyof typeof BUCKET_OF_ACTION];

/** Takes a token for the action, or throws the `rate_limited` (or `not_connected`) error its sender should see. */
export async function admit(action: ClientAction, sender: Connection, limiter: RateLimiter): Promise<void> {
  if (!(action in BUCKET_OF_ACTION)) return;
  const bucket = BUCKET_OF_ACTION[action as keyof typeof BUCKET_OF_ACTION];
  const admission = await limiter.take(sender.connectionId, bucket, sender.buckets?.[bucket]);
  if (admission.admitted) return;
  if ('gone' in admission) throw new ProtocolError(ERROR_CODES.notConnected, 'This connection is not registered; reconnect');
  recordMetric('rateLimited', 1, bucket);
  const what = bucket === 'messages' ? 'messages' : 'draft updates';
  throw new ProtocolError(
    ERROR_CODES.rateLimited,
    `Too many ${what}; this one was not sent. Try again in ${admission.retryAfterMs} ms.`,
    { retryAfterMs: admission.retryAfterMs },
  );
}
