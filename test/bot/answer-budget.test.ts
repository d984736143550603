import { AnswerBudget } from '../../lambdas/bot/answer-budget';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../local/services/local-dynamodb';

/** The bot's budget counters against dynalite, with a fixed clock. */

let dynamo: LocalDynamoDb;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb({ tablePrefix: 'budget-test' });
  client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
});

afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});

const minute = (iso: string) => Date.parse(iso);

it('grants a room its answers per minute, then refuses until the next minute', async () => {
  const budget = new AnswerBudget(2, 100, dynamo.tableNames.botBudget, client);
  const now = minute('2026-11-22T10:00:05Z');

  const verdicts = [await budget.take('a', now), await budget.take('a', now + 1000), await budget.take('a', now + 2000)];
  const otherRoom = await budget.take('b', now + 3000);
  const nextMinute = await budget.take('a', minute('2026-11-22T10:01:00Z'));

  expect(verdicts).toStrictEqual(['granted', 'granted', 'room']);
  expect(otherRoom).toBe('granted');
  expect(nextMinute).toBe('granted');
});

it('refuses every room once the overall budget of the minute is spent', async () => {
  const budget = new AnswerBudget(10, 2, dynamo.tableNames.botBudget, client);
  const now = minute('2026-11-22T11:00:00Z');

  const verdicts = [await budget.take('x', now), await budget.take('y', now), await budget.take('z', now)];

  expect(verdicts).toStrictEqual(['granted', 'granted', 'overall']);
});

it('says a room needs a notice only once a minute', async () => {
  const budget = new AnswerBudget(0, 0, dynamo.tableNames.botBudget, client);
  const now = minute('2026-11-22T12:00:00Z');

  const notices = [await budget.firstNotice('n', now), await budget.firstNotice('n', now + 10_000), await budget.firstNotice('n', now + 60_000)];

  expect(notices).toStrictEqual([true, false, true]);
});
