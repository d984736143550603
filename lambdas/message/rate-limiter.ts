import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bucketAttribute } from '../shared/connections-store';

export interface BucketSpec {
  /** Sustained rate. */
  ratePerSecond: number;
  /** How many may come back to back. */
  burst: number;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterMs: number } | { admitted: false; gone: true };

/** How a write may move a bucket: from idle (full: restart from now) or from busy (one interval further). */
type Step = 'idle' | 'busy';

/**
 * Per-connection token buckets kept on the connection's DynamoDB row, so they hold across every concurrent Lambda
 * instance. A bucket is stored as one number, its theoretical arrival time (GCRA, equivalent to a token bucket of
 * `burst` tokens refilled at `ratePerSecond`): taking a token is one conditional UpdateItem, decided from the row the
 * caller has already read.
 *
 * A write that loses a race to another instance is never a refusal by itself: only a bucket read with no token left
 * is. The stored time only ever grows, so a lost write means another frame of the connection took a token (or the
 * bucket is gone); a frame can therefore lose only as many times as others are admitted meanwhile, and it keeps
 * trying while tokens remain. Losing from idle needs no read: the bucket is then busy, and the busy write (which
 * commutes with every other busy write) takes the next token if there is one. Only a busy write that fails reads the
 * bucket again, to say how long to wait or to try once more with the time it reads.
 */
export class RateLimiter {
  public constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient,
    private readonly buckets: Readonly<Record<string, BucketSpec>>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** `known` is the bucket's state from a row read moments ago (undefined when it has none yet). */
  public async take(connectionId: string, bucket: string, known: number | undefined): Promise<Admission> {
    const spec = this.buckets[bucket];
    if (!spec) throw new Error(`Unknown rate-limit bucket ${bucket}`);
    const intervalMs = 1000 / spec.ratePerSecond;
    const toleranceMs = (spec.burst - 1) * intervalMs;
    let tat = known;
    for (;;) {
      const now = this.clock();
      const base = Math.max(tat ?? 0, now);
      if (base - now > toleranceMs) return { admitted: false, retryAfterMs: Math.ceil(base - now - toleranceMs) };
      const first: Step = tat === undefined || tat <= now ? 'idle' : 'busy';
      if (await this.tryAdvance(connectionId, bucket, first, now, intervalMs, toleranceMs)) return { admitted: true };
      if (first === 'idle' && (await this.tryAdvance(connectionId, bucket, 'busy', now, intervalMs, toleranceMs))) {
        return { admitted: true };
      }
      const row = await this.read(connectionId, bucket);
      if (!row.exists) return { admitted: false, gone: true };
      // The writes failed, so the stored time moved; if it did not, it is not one this limiter wrote (not a number).
      if (row.tat === tat) throw new Error(`Rate-limit bucket ${bucket} of ${connectionId} refuses writes without moving`);
      tat = row.tat;
    }
  }

  private async tryAdvance(
    connectionId: string,
    bucket: string,
    step: Step,
    now: number,
    intervalMs: number,
    toleranceMs: number,
  ): Promise<boolean> {
    const idle = step === 'idle';
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { connectionId },
          // Idle: the bucket is full, start from now. Busy: advance by one interval, as long as that stays within
          // the burst; busy updates from concurrent instances commute, so they never fail each other.
          UpdateExpression: idle ? 'SET #tat = :next' : 'SET #tat = #tat + :interval',
          ConditionExpression: idle
            ? 'attribute_exists(connectionId) AND (attribute_not_exists(#tat) OR #tat <= :now)'
            : 'attribute_exists(connectionId) AND #tat > :now AND #tat <= :limit',
          ExpressionAttributeNames: { '#tat': bucketAttribute(bucket) },
          ExpressionAttributeValues: idle
            ? { ':next': now + intervalMs, ':now': now }
            : { ':interval': intervalMs, ':now': now, ':limit': now + toleranceMs },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') {
        return false;
      }
      throw error;
    }
  }

  private async read(connectionId: string, bucket: string): Promise<{ exists: boolean; tat?: number }> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { connectionId },
        ConsistentRead: true,
        ProjectionExpression: 'connectionId, #tat',
        ExpressionAttributeNames: { '#tat': bucketAttribute(bucket) },
      }),
    );
    if (!Item) return { exists: false };
    const tat = Item[bucketAttribute(bucket)];
    return { exists: true, tat: typeof tat === 'number' ? tat : undefined };
  }
}
