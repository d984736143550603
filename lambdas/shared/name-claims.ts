import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../contract/topology';
import { dynamoDocumentClient } from './aws/dynamo-document-client';
import { requireEnv } from './config';

/** How names are compared: case-insensitively, after compatibility folding ("ＡＮＮ" is "ann"). */
export function foldName(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

export interface NameHolder {
  room: string;
  userId: string;
  connectionId: string;
  /** When the claim may be taken over if no $disconnect released it (epoch seconds; also the row's TTL). */
  expiresAt: number;
}

/**
 * Who holds which name in a room: one row per (room, folded name) in the connections table, keyed
 * `name#<room>#<folded name>`, holding the author id and the set of that author's connections using it. A row
 * without `room` is in none of the table's indexes, so nothing that lists a room sees it. Claiming is one conditional
 * UpdateItem (two when the name is held by someone else), whatever the room's size: the room is never read, so a
 * room filling up costs O(N), not O(N²).
 */
export class NameClaims {
  public constructor(
    private readonly tableName: string = requireEnv(TABLES.connections.envVar),
    private readonly client: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /**
   * Claims `name` for the holder: true when nobody else holds it (the same author's other connections share it), or
   * when its claim outlived every connection that made it (expired, never released).
   */
  public async claim(name: string, holder: NameHolder): Promise<boolean> {
    const key = { connectionId: claimKey(holder.room, name) };
    const values = { ':user': holder.userId, ':holders': new Set([holder.connectionId]), ':expires': holder.expiresAt };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET userId = :user, expiresAt = :expires ADD holders :holders',
          ConditionExpression: 'attribute_not_exists(userId) OR userId = :user',
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET userId = :user, expiresAt = :expires, holders = :holders',
          ConditionExpression: 'expiresAt < :now',
          ExpressionAttributeValues: { ...values, ':now': Math.floor(Date.now() / 1000) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Lets go of the holder's use of `name`; the row goes with the author's last connection using it. */
  public async release(name: string, holder: Omit<NameHolder, 'expiresAt'>): Promise<void> {
    const key = { connectionId: claimKey(holder.room, name) };
    try {
      // DynamoDB removes a set attribute left empty, so the row of a name nobody uses is deleted by the condition below.
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'DELETE holders :holder',
          ConditionExpression: 'userId = :user',
          ExpressionAttributeValues: { ':holder': new Set([holder.connectionId]), ':user': holder.userId },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (Attributes?.holders !== undefined) return;
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'userId = :user AND attribute_not_exists(holders)',
          ExpressionAttributeValues: { ':user': holder.userId },
        }),
      );
    } catch (error) {
      // Someone else took it over after it expired, or another connection of the author claimed it again meanwhile.
      if (!isConditionFailure(error)) throw error;
    }
  }
}

function claimKey(room: string, name: string): string {
  return `name#${room}#${foldName(name)}`;
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}
