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

/** Attempts when concurrent Lambdas move the same bucket between our read and our write. */
const MAX_ATTEMPTS = 4;

/**
 * Per-connection token buckets kept on the connection's DynamoDB row, so they hold across every concurrent Lambda
 * instance. A bucket is stored as one number, its theoretical arrival time (GCRA, equivalent to a token bucket of
 * `burst` tokens refilled at `ratePerSecond`): taking a token is one conditional UpdateItem, decided from the row the
 * caller has already read. Only when another instance moved the bucket in between is it read again.
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
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const now = this.clock();
      const base = Math.max(tat ?? 0, now);
      if (base - now > toleranceMs) return { admitted: false, retryAfterMs: Math.ceil(base - now - toleranceMs) };
      if (await this.tryAdvance(connectionId, bucket, tat, now, intervalMs, toleranceMs)) return { admitted: true };
      const row = await this.read(connectionId, bucket);
      if (!row.exists) return { admitted: false, gone: true };
      tat = row.tat;
    }
    return { admitted: false, retryAfterMs: Math.ceil(intervalMs) };
  }

  private async tryAdvance(
    connectionId: string,
    bucket: string,
    tat: number | undefined,
    now: number,
    intervalMs: number,
    toleranceMs: number,
  ): Promise<boolean> {
    const idle = tat === undefined || tat <= now;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { connectionId },
          // Idle: the bucket is full, start from now. Busy: advance by one interval, as long as that stays within
          // the burst; busy updates from concurrent instances commute, so they rarely need a second attempt.
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
