import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../contract/topology';
import { dynamoDocumentClient } from './aws/dynamo-document-client';
import { requireEnv } from './config';
import type { HistoryMessage } from '../../contract/protocol';

export interface HistoryPage {
  /** Oldest first. */
  messages: HistoryMessage[];
  hasMore: boolean;
}

const SECONDS_PER_DAY = 86_400;

export interface HistoryStoreOptions {
  /**
   * Days a saved message is kept (the `historyTtlDays` setting); 0 keeps it forever.
   * @default - none: the store only reads, and `save` fails
   */
  readonly ttlDays?: number;
  /** @default the MESSAGES_TABLE environment variable */
  readonly tableName?: string;
  readonly client?: DynamoDBDocumentClient;
}

/** Room history: one item per message, sorted by its time-ordered id. */
export class HistoryStore {
  private readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;
  private readonly ttlDays: number | undefined;

  public constructor(options: HistoryStoreOptions = {}) {
    this.tableName = options.tableName ?? requireEnv(TABLES.messages.envVar);
    this.client = options.client ?? dynamoDocumentClient();
    this.ttlDays = options.ttlDays;
  }

  /** Idempotent: saving the same message twice (a retried record) leaves one item. */
  public async save(message: HistoryMessage & { ts?: unknown }): Promise<void> {
    if (this.ttlDays === undefined) throw new Error('This HistoryStore was built without ttlDays: it only reads');
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
