import { AnswerBudget, type BudgetLimits } from '../../lambdas/bot/answer-budget';
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
const limits = (some: Partial<BudgetLimits>): BudgetLimits => ({ perRoom: 100, overall: 100, perConnection: 100, perSourceIp: 100, ...some });

it('grants a room its answers per minute, then refuses until the next minute', async () => {
  const budget = new AnswerBudget(limits({ perRoom: 2, overall: 100 }), dynamo.tableNames.botBudget, client);
  const now = minute('2026-11-22T10:00:05Z');

  const verdicts = [await budget.take('a', now), await budget.take('a', now + 1000), await budget.take('a', now + 2000)];
  const otherRoom = await budget.take('b', now + 3000);
  const nextMinute = await budget.take('a', minute('2026-11-22T10:01:00Z'));

  expect(verdicts).toStrictEqual(['granted', 'granted', 'room']);
  expect(otherRoom).toBe('granted');
  expect(nextMinute).toBe('granted');
});

it('refuses every room once the overall budget of the minute is spent', async () => {
  const budget = new AnswerBudget(limits({ perRoom: 10, overall: 2 }), dynamo.tableNames.botBudget, client);
  const now = minute('2026-11-22T11:00:00Z');

  const verdicts = [await budget.take('x', now), await budget.take('y', now), await budget.take('z', now)];

  expect(verdicts).toStrictEqual(['granted', 'granted', 'overall']);
});

it('says a room needs a notice only once a minute', async () => {
  const budget = new AnswerBudget(limits({ perRoom: 0, overall: 0 }), dynamo.tableNames.botBudget, client);
  const now = minute('2026-11-22T12:00:00Z');

  const notices = [await budget.firstNotice('n', now), await budget.firstNotice('n', now + 10_000), await budget.firstNotice('n', now + 60_000)];

  expect(notices).toStrictEqual([true, false, true]);
});

it('counts a person by connection and by address, each per minute, before any room or overall budget', async () => {
  const budget = new AnswerBudget(limits({ perConnection: 2, perSourceIp: 3, overall: 100 }), dynamo.tableNames.botBudget, client);
  const now = minute('2026-11-22T13:00:00Z');
  const mia = { connectionId: 'c-mia', sourceIp: '203.0.113.7' };
  const miaAgain = { connectionId: 'c-mia-2', sourceIp: '203.0.113.7' };
  const ole = { connectionId: 'c-ole', sourceIp: '198.51.100.2' };

  const verdicts = [
    await budget.takePerson(mia, now),
    await budget.takePerson(mia, now + 1),
    await budget.takePerson(mia, now + 2),
    await budget.takePerson(miaAgain, now + 3),
    await budget.takePerson(miaAgain, now + 4),
    await budget.takePerson(ole, now + 5),
    await budget.takePerson(mia, minute('2026-11-22T13:01:00Z')),
  ];

  expect(verdicts).toStrictEqual(['granted', 'granted', 'connection', 'granted', 'address', 'granted', 'granted']);
});

it('says a person needs a notice only once a minute', async () => {
  const budget = new AnswerBudget(limits({}), dynamo.tableNames.botBudget, client);
  const now = minute('2026-11-22T14:00:00Z');

  const notices = [await budget.firstPersonNotice('c-1', now), await budget.firstPersonNotice('c-1', now + 5_000), await budget.firstPersonNotice('c-2', now)];

  expect(notices).toStrictEqual([true, false, true]);
});
