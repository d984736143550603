import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../contract/topology';
import { dynamoDocumentClient } from '../shared/aws/dynamo-document-client';
import { requireEnv } from '../shared/config';

export type BudgetVerdict = 'granted' | 'room' | 'overall';

/**
 * The cost guard of an anonymous public bot: a number of answers per room per minute and overall per minute, counted
 * in DynamoDB (atomic, shared by every bot instance), each counter expiring after its minute.
 */
export class AnswerBudget {
  public constructor(
    private readonly perRoomPerMinute: number,
    private readonly perMinute: number,
    private readonly tableName: string = requireEnv(TABLES.botBudget.envVar),
    private readonly client: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /** Takes one answer from the room's and the overall budget of the current minute, if both have one left. */
  public async take(room: string, now = Date.now()): Promise<BudgetVerdict> {
    const minute = new Date(now).toISOString().slice(0, 16);
    if (!(await this.increment(`room#${room}#${minute}`, this.perRoomPerMinute, now))) return 'room';
    if (!(await this.increment(`all#${minute}`, this.perMinute, now))) return 'overall';
    return 'granted';
  }

  /** True the first time it is called for this room in this minute: one notice per room per minute is enough. */
  public async firstNotice(room: string, now = Date.now()): Promise<boolean> {
    return this.increment(`notice#${room}#${new Date(now).toISOString().slice(0, 16)}`, 1, now);
  }

  private async increment(key: string, limit: number, now: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': Math.floor(now / 1000) + 120 },
        }),
      );
      return limit > 0;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
