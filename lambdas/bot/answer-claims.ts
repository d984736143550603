import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../contract/topology';
import { dynamoDocumentClient } from '../shared/aws/dynamo-document-client';
import { requireEnv } from '../shared/config';

/** Where an answer stands. Only an answer's own item (the question it replies to) carries a state. */
export type AnswerState = 'claimed' | 'answered' | 'failed' | 'declined';

/** One question the bot has taken on. */
export interface Claim {
  questionId: string;
  room: string;
  /** The question the answer replies to (the last of those answered together); its item holds the answer's state. */
  replyTo: string;
  /** Empty when the question was declined (over budget). */
  answerId: string;
  state?: AnswerState;
  claimedAt: string;
  /** On the answer's own item: the author id of the question it replies to, the one person who may stop it. */
  askerId?: string;
}

const OPEN = 'open';
const OPEN_INDEX = 'openAnswers' satisfies keyof typeof TABLES.botAnswers.indexes;
const TTL_SECONDS = 24 * 60 * 60;
const BATCH_GET_MAX = 100;

/**
 * The bot's record of which questions it has taken on (contract table `botAnswers`). A question is claimed with a
 * conditional write before anything is streamed for it, so a retried record is never answered again, and an answer
 * whose stream was cut (crash, timeout, stop) is found still `claimed` and closed with an error under its own id.
 * A room's questions are only ever handled by one invocation at a time (one partition key, one lane), so the
 * conditions guard against retries and stale closers, not against two live answerers.
 */
export class AnswerClaims {
  public constructor(
    private readonly tableName: string = requireEnv(TABLES.botAnswers.envVar),
    private readonly client: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /** The claims that exist for these questions, by question id (strongly consistent). */
  public async read(questionIds: readonly string[]): Promise<Map<string, Claim>> {
    const found = new Map<string, Claim>();
    for (let start = 0; start < questionIds.length; start += BATCH_GET_MAX) {
      let keys: Record<string, unknown>[] | undefined = [...new Set(questionIds.slice(start, start + BATCH_GET_MAX))].map(
        (questionId) => ({ questionId }),
      );
      while (keys && keys.length > 0) {
        const output: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of output.Responses?.[this.tableName] ?? []) found.set(String(item.questionId), toClaim(item));
        keys = output.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  /**
   * Claims `questionIds` (in stream order) for one answer replying to the last of them, asked by `askerId`. The
   * answer's own item is written last, `claimed` and open: when it exists, every question of the answer is claimed.
   */
  public async claim(room: string, questionIds: readonly string[], answerId: string, askerId: string, now: number): Promise<void> {
    const replyTo = questionIds.at(-1);
    if (replyTo === undefined) return;
    for (const questionId of questionIds) {
      const own = questionId === replyTo ? { state: 'claimed' as const, open: OPEN, askerId } : {};
      await this.put({ questionId, room, replyTo, answerId, claimedAt: new Date(now).toISOString(), ...own }, now);
    }
  }

  /** Records questions that will not be answered (their askers are over budget), so a retry does not count them again. */
  public async decline(room: string, questionIds: readonly string[], now: number): Promise<void> {
    for (const questionId of questionIds) {
      const claimedAt = new Date(now).toISOString();
      await this.put({ questionId, room, replyTo: questionId, answerId: '', claimedAt, state: 'declined' }, now);
    }
  }

  /** Records how a claimed answer ended. */
  public async finish(replyTo: string, state: Exclude<AnswerState, 'claimed'>): Promise<void> {
    await this.transition(replyTo, 'claimed', state);
  }

  /** Takes a still-open answer over to close it: true for the one caller that moved it from `claimed` to `failed`. */
  public close(replyTo: string): Promise<boolean> {
    return this.transition(replyTo, 'claimed', 'failed');
  }

  /** Undoes `close` when its error frame could not be published, so the answer is closed again later. */
  public async reopen(replyTo: string): Promise<void> {
    await this.transition(replyTo, 'failed', 'claimed');
  }

  /**
   * Whether the asker asked to stop the answer replying to `replyTo` (the message function writes `stopRequestedAt`
   * onto its claim, lambdas/shared/answer-requests.ts). A strongly consistent read of one small item.
   */
  public async stopRequested(replyTo: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { questionId: replyTo }, ConsistentRead: true, ProjectionExpression: 'stopRequestedAt' }),
    );
    return Item?.stopRequestedAt !== undefined;
  }

  /** Answers still open that were claimed before `claimedBefore` (ms): their invocation is over, so they were cut. */
  public async abandoned(claimedBefore: number, limit = 25): Promise<Claim[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: OPEN_INDEX,
        KeyConditionExpression: '#open = :open AND claimedAt < :before',
        ExpressionAttributeNames: { '#open': 'open' },
        ExpressionAttributeValues: { ':open': OPEN, ':before': new Date(claimedBefore).toISOString() },
        Limit: limit,
      }),
    );
    return Items.map(toClaim);
  }

  private async put(item: Claim & { open?: string }, now: number): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...item, expiresAt: Math.floor(now / 1000) + TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(questionId)',
      }),
    );
  }

  private async transition(replyTo: string, from: AnswerState, to: AnswerState): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { questionId: replyTo },
          UpdateExpression: to === 'claimed' ? 'SET #state = :to, #open = :open' : 'SET #state = :to REMOVE #open',
          ConditionExpression: '#state = :from',
          ExpressionAttributeNames: { '#state': 'state', '#open': 'open' },
          ExpressionAttributeValues: { ':from': from, ':to': to, ...(to === 'claimed' ? { ':open': OPEN } : {}) },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

function toClaim(item: Record<string, unknown>): Claim {
  return {
    questionId: String(item.questionId),
    room: String(item.room),
    replyTo: String(item.replyTo),
    answerId: String(item.answerId ?? ''),
    ...(typeof item.state === 'string' ? { state: item.state as AnswerState } : {}),
    claimedAt: String(item.claimedAt),
    ...(typeof item.askerId === 'string' ? { askerId: item.askerId } : {}),
  };
}
