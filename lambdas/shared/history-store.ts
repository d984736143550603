import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SETTINGS, TABLES } from '../../lib/topology';
import { dynamoDocumentClient } from './aws-clients';
import { integerEnv, requireEnv } from './config';
import type { HistoryMessage } from './protocol';

export interface HistoryPage {
  /** Oldest first. */
  messages: HistoryMessage[];
  hasMore: boolean;
}

const SECONDS_PER_DAY = 86_400;

/** Room history: one item per message, sorted by its time-ordered id. */
export class HistoryStore {
  public constructor(
    private readonly tableName: string = requireEnv(TABLES.messages.envVar),
    private readonly client: DynamoDBDocumentClient = dynamoDocumentClient(),
    private readonly ttlDays: number = integerEnv(SETTINGS.historyTtlDays.envVar, 0),
  ) {}

  /** Idempotent: saving the same message twice (a retried record) leaves one item. */
  public async save(message: HistoryMessage & { ts?: unknown }): Promise<void> {
    const ts = typeof message.ts === 'number' ? message.ts : Date.now();
    const expiresAt = this.ttlDays > 0 ? Math.floor(ts / 1000) + this.ttlDays * SECONDS_PER_DAY : undefined;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { room: message.room, id: message.id, ts, frame: JSON.stringify(message), expiresAt },
      }),
    );
  }

  /** The newest `limit` messages before `before` (or the newest overall), oldest first. */
  public async page(room: string, limit: number, before?: string): Promise<HistoryPage> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: before ? 'room = :room AND id < :before' : 'room = :room',
        ExpressionAttributeValues: before ? { ':room': room, ':before': before } : { ':room': room },
        ProjectionExpression: 'frame',
        ScanIndexForward: false,
        Limit: limit + 1,
      }),
    );
    const newestFirst = Items.slice(0, limit).map((item) => JSON.parse(String(item.frame)) as HistoryMessage);
    return { messages: newestFirst.reverse(), hasMore: Items.length > limit };
  }
}
