import { paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../contract/topology';
import { dynamoDocumentClient } from './aws/dynamo-document-client';
import { requireEnv } from './config';
import type { HistoryMessage } from '../../contract/protocol';

export interface HistoryPage {
  /** Oldest first. */
  messages: HistoryMessage[];
  hasMore: boolean;
  /** With `hasMore`: the `before` that asks for the next older page. */
  cursor?: string;
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

  /**
   * The newest messages before `before` (or the newest overall), oldest first: at most `limit` of them, and at most as
   * many as fit `maxBytes` as a JSON array, so the frame carrying them stays under API Gateway's message limit. A
   * message too large for any page (impossible within the protocol's limits) is skipped, so paging never stalls.
   */
  public async page(room: string, limit: number, before?: string, maxBytes = Number.POSITIVE_INFINITY): Promise<HistoryPage> {
    const newestFirst: HistoryMessage[] = [];
    let bytes = '[]'.length;
    let cursor: string | undefined;
    let hasMore = false;
    const pages = paginateQuery(
      { client: this.client, pageSize: limit + 1 },
      {
        TableName: this.tableName,
        KeyConditionExpression: before ? 'room = :room AND id < :before' : 'room = :room',
        ExpressionAttributeValues: before ? { ':room': room, ':before': before } : { ':room': room },
        ProjectionExpression: 'frame',
        ScanIndexForward: false,
      },
    );
    reading: for await (const { Items = [] } of pages) {
      for (const item of Items) {
        if (newestFirst.length === limit) {
          hasMore = true;
          break reading;
        }
        const encoded = String(item.frame);
        const message = JSON.parse(encoded) as HistoryMessage;
        const size = Buffer.byteLength(encoded) + (newestFirst.length > 0 ? 1 : 0);
        if (bytes + size > maxBytes) {
          if (newestFirst.length > 0) {
            hasMore = true;
            break reading;
          }
          cursor = message.id;
          continue;
        }
        newestFirst.push(message);
        bytes += size;
        cursor = message.id;
      }
    }
    return { messages: newestFirst.reverse(), hasMore, ...(hasMore && cursor !== undefined ? { cursor } : {}) };
  }
}
