import { DeleteCommand, GetCommand, paginateQuery, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../contract/topology';
import { dynamoDocumentClient } from './aws/dynamo-document-client';
import { requireEnv } from './config';

export interface Connection {
  connectionId: string;
  room: string;
  /** Public id shown to others as `author.id`. */
  userId: string;
  name: string;
  /** Milliseconds since the epoch. */
  connectedAt: number;
  /** Rate-limit state stored on the row: each bucket's theoretical arrival time (rate-limiter.ts). */
  buckets?: Partial<Record<string, number>>;
}

export interface RoomMember {
  connectionId: string;
  connectedAt: number;
}

/** A connection as `welcome` lists it. */
export interface NamedMember {
  connectionId: string;
  userId: string;
  name: string;
}

// API Gateway closes every connection after 2 hours; an item older than that (plus slack) belongs to a connection
// whose $disconnect never arrived, and DynamoDB's TTL removes it.
const CONNECTION_LIFETIME_SECONDS = 3 * 60 * 60;
/** When a connection's row (and anything held for it) may be taken for abandoned: epoch seconds, the rows' TTL. */
export function connectionExpiresAt(connectedAt: number): number {
  return Math.floor(connectedAt / 1000) + CONNECTION_LIFETIME_SECONDS;
}

const BY_ROOM_INDEX = 'byRoom' satisfies keyof typeof TABLES.connections.indexes;
const ROOM_MEMBERS_INDEX = 'roomMembers' satisfies keyof typeof TABLES.connections.indexes;

/** Who is connected to which room. */
export class ConnectionsStore {
  public constructor(
    private readonly tableName: string = requireEnv(TABLES.connections.envVar),
    private readonly client: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  public async register(connection: Connection): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...connection, expiresAt: connectionExpiresAt(connection.connectedAt) } }));
  }

  public async get(connectionId: string): Promise<Connection | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { connectionId }, ConsistentRead: true }),
    );
    return Item ? toConnection(Item) : undefined;
  }

  /** Deletes the connection; returns what was stored, or undefined if someone else removed it first. */
  public async remove(connectionId: string): Promise<Connection | undefined> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { connectionId }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes ? toConnection(Attributes) : undefined;
  }

  /** Every connection in the room: a Query on the room index, page by page. */
  public async listRoom(room: string): Promise<RoomMember[]> {
    const members: RoomMember[] = [];
    for await (const page of this.queryRoom(room, 'ALL_PROJECTED_ATTRIBUTES')) {
      for (const item of page.Items ?? []) {
        members.push({ connectionId: String(item.connectionId), connectedAt: Number(item.connectedAt ?? 0) });
      }
    }
    return members;
  }

  /**
   * Who `welcome` names and counts: the first `limit` connections of the room with their public ids and names (one
   * page), and how many there are (a count, so the rest of a large room is never transferred or decoded).
   */
  public async namedMembers(room: string, limit: number): Promise<{ members: NamedMember[]; online: number }> {
    const [first, online] = await Promise.all([
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: ROOM_MEMBERS_INDEX,
          KeyConditionExpression: 'room = :room',
          ExpressionAttributeValues: { ':room': room },
          Limit: limit,
        }),
      ),
      this.countRoom(room),
    ]);
    const members = (first.Items ?? []).map((item) => ({ connectionId: String(item.connectionId), userId: String(item.userId), name: String(item.name) }));
    // The count and the page are two reads: a join between them must not show more names than people online.
    return { members, online: Math.max(online, members.length) };
  }

  private async countRoom(room: string): Promise<number> {
    let count = 0;
    for await (const page of this.queryRoom(room, 'COUNT', ROOM_MEMBERS_INDEX)) count += page.Count ?? 0;
    return count;
  }

  private queryRoom(room: string, select: 'ALL_PROJECTED_ATTRIBUTES' | 'COUNT', indexName = BY_ROOM_INDEX) {
    return paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: 'room = :room',
        ExpressionAttributeValues: { ':room': room },
        Select: select,
      },
    );
  }
}

/** Attribute holding a rate-limit bucket's state on a connection's row. */
export function bucketAttribute(bucket: string): string {
  return `bucket_${bucket}`;
}

function toConnection(item: Record<string, unknown>): Connection {
  const buckets = Object.fromEntries(
    Object.entries(item)
      .filter(([key, value]) => key.startsWith('bucket_') && typeof value === 'number')
      .map(([key, value]) => [key.slice('bucket_'.length), value as number]),
  );
  return {
    connectionId: String(item.connectionId),
    room: String(item.room),
    userId: String(item.userId),
    name: String(item.name),
    connectedAt: Number(item.connectedAt),
    ...(Object.keys(buckets).length > 0 ? { buckets } : {}),
  };
}
