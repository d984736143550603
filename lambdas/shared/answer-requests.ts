import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../contract/topology';
import { questionIdOf } from './answer-id';
import { dynamoDocumentClient } from './aws/dynamo-document-client';
import { requireEnv } from './config';

/** How a stop request went: recorded, or why not. */
export type StopOutcome = 'requested' | 'not_found' | 'forbidden';

/**
 * What people ask of the bot's answers, through their claims in the botAnswers table (the bot writes an answer's claim,
 * `claimed`, before it streams; answer-claims.ts). An answer's claim is keyed by the question it replies to, which its
 * id is derived from (answer-id.ts), so one key read finds it.
 */
export class AnswerRequests {
  public constructor(
    private readonly tableName: string = requireEnv(TABLES.botAnswers.envVar),
    private readonly client: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /** Whether `id` is the id of one of the bot's answers (streaming or ended). */
  public async isAnswer(id: string): Promise<boolean> {
    return (await this.claimOf(id)) !== undefined;
  }

  /**
   * Asks the bot to stop answer `answerId`: marks its claim `stopRequested`, only while it is still streaming and only
   * for its asker. The bot reads the mark while it streams (answer-claims.ts `stopRequested`).
   */
  public async requestStop(answerId: string, askerId: string, now: number): Promise<StopOutcome> {
    const questionId = questionIdOf(answerId);
    if (questionId === undefined) return 'not_found';
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { questionId },
          UpdateExpression: 'SET stopRequestedAt = :now',
          ConditionExpression: 'answerId = :answerId AND #state = :claimed AND askerId = :asker',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':now': now, ':answerId': answerId, ':claimed': 'claimed', ':asker': askerId },
        }),
      );
      return 'requested';
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
    // Refused: say why (rare, so the second read costs nothing that matters).
    const claim = await this.claimOf(answerId);
    return claim?.state === 'claimed' && claim.askerId !== askerId ? 'forbidden' : 'not_found';
  }

  private async claimOf(answerId: string): Promise<{ state: string; askerId: string } | undefined> {
    const questionId = questionIdOf(answerId);
    if (questionId === undefined) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { questionId },
        ConsistentRead: true,
        ProjectionExpression: 'answerId, #state, askerId',
        ExpressionAttributeNames: { '#state': 'state' },
      }),
    );
    if (Item?.answerId !== answerId) return undefined;
    return { state: String(Item.state ?? ''), askerId: String(Item.askerId ?? '') };
  }
}
