import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../contract/topology';
import { dynamoDocumentClient } from '../shared/aws/dynamo-document-client';
import { requireEnv } from '../shared/config';

export type BudgetVerdict = 'granted' | 'room' | 'overall';
export type PersonVerdict = 'granted' | 'connection' | 'address';

/** Answers per minute: per room and overall, and per person (by connection and by source IP). */
export interface BudgetLimits {
  perRoom: number;
  overall: number;
  perConnection: number;
  perSourceIp: number;
}

/**
 * The cost guard of an anonymous public bot: answers per minute per person (by connection, and by source IP across
 * all of that address's connections and rooms), per room and overall, counted in DynamoDB (atomic, shared by every bot
 * instance), each counter expiring after its minute. A person is counted first (`takePerson`), so someone over their
 * own budget never spends the room's or everyone's.
 */
export class AnswerBudget {
  public constructor(
    private readonly limits: BudgetLimits,
    private readonly tableName: string = requireEnv(TABLES.botBudget.envVar),
    private readonly client: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /** Takes one answer from the person's budgets of the current minute (connection, then address), if both have one. */
  public async takePerson(person: { connectionId: string; sourceIp: string }, now = Date.now()): Promise<PersonVerdict> {
    const minute = minuteOf(now);
    if (!(await this.increment(`connection#${person.connectionId}#${minute}`, this.limits.perConnection, now))) return 'connection';
    if (!(await this.increment(`ip#${person.sourceIp}#${minute}`, this.limits.perSourceIp, now))) return 'address';
    return 'granted';
  }

  /** Takes one answer from the room's and the overall budget of the current minute, if both have one left. */
  public async take(room: string, now = Date.now()): Promise<BudgetVerdict> {
    const minute = minuteOf(now);
    if (!(await this.increment(`room#${room}#${minute}`, this.limits.perRoom, now))) return 'room';
    if (!(await this.increment(`all#${minute}`, this.limits.overall, now))) return 'overall';
    return 'granted';
  }

  /** True the first time it is called for this room in this minute: one notice per room per minute is enough. */
  public async firstNotice(room: string, now = Date.now()): Promise<boolean> {
    return this.increment(`notice#${room}#${minuteOf(now)}`, 1, now);
  }

  /** True the first time it is called for this connection in this minute: one notice per person per minute. */
  public async firstPersonNotice(connectionId: string, now = Date.now()): Promise<boolean> {
    return this.increment(`notice#connection#${connectionId}#${minuteOf(now)}`, 1, now);
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

function minuteOf(now: number): string {
  return new Date(now).toISOString().slice(0, 16);
}
