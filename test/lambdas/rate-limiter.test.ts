import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RateLimiter, type Admission } from '../../lambdas/message/rate-limiter';
import { bucketAttribute, ConnectionsStore } from '../../lambdas/shared/connections-store';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/local-credentials';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../local/services/local-dynamodb';

/** Two message-function instances, each with its own SDK client and limiter, sharing the connections table in dynalite. */
let dynamo: LocalDynamoDb;
let now = 1_700_000_000_000;
const clock = () => now;
const buckets = { messages: { ratePerSecond: 5, burst: 10 }, drafts: { ratePerSecond: 20, burst: 40 } };

function instance(): { limiter: RateLimiter; store: ConnectionsStore } {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const table = dynamo.tableNames.connections;
  return { limiter: new RateLimiter(table, client, buckets, clock), store: new ConnectionsStore(table, client) };
}

beforeAll(async () => {
  dynamo = await startLocalDynamoDb({ tablePrefix: 'limiter' });
});

afterAll(async () => {
  await dynamo.stop();
});

async function register(store: ConnectionsStore, connectionId: string): Promise<void> {
  await store.register({ connectionId, room: 'r', userId: 'u-x', name: 'X', connectedAt: now });
}

const admitted = (results: Admission[]) => results.filter((result) => result.admitted).length;

it('admits exactly the burst across two instances taking tokens concurrently, then answers how long to wait', async () => {
  const [one, two] = [instance(), instance()];
  await register(one.store, 'conn-burst');

  const results = await Promise.all(
    Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? one : two).limiter.take('conn-burst', 'messages', undefined)),
  );

  expect(admitted(results)).toBe(10);
  expect(results.filter((result) => !result.admitted)).toStrictEqual(Array.from({ length: 6 }, () => ({ admitted: false, retryAfterMs: 200 })));
});

it('refills at the sustained rate: one more message every 200 ms at 5 per second', async () => {
  const [one, two] = [instance(), instance()];
  await register(one.store, 'conn-refill');
  for (let i = 0; i < 10; i += 1) await one.limiter.take('conn-refill', 'messages', undefined);

  now += 200;
  const afterOneInterval = [await two.limiter.take('conn-refill', 'messages', undefined), await one.limiter.take('conn-refill', 'messages', undefined)];
  now += 1000;
  const afterASecond = await Promise.all(Array.from({ length: 6 }, () => two.limiter.take('conn-refill', 'messages', undefined)));

  expect(afterOneInterval).toStrictEqual([{ admitted: true }, { admitted: false, retryAfterMs: 200 }]);
  expect(admitted(afterASecond)).toBe(5);
});

it('keeps each bucket separate: drafts do not spend messages', async () => {
  const { limiter, store } = instance();
  await register(store, 'conn-separate');

  const drafts = await Promise.all(Array.from({ length: 41 }, () => limiter.take('conn-separate', 'drafts', undefined)));
  const message = await limiter.take('conn-separate', 'messages', undefined);

  expect(admitted(drafts)).toBe(40);
  expect(message).toStrictEqual({ admitted: true });
});

it('never creates a row for a connection that is gone', async () => {
  const { limiter, store } = instance();

  const result = await limiter.take('conn-never-registered', 'messages', undefined);

  expect(result).toStrictEqual({ admitted: false, gone: true });
  expect(await store.get('conn-never-registered')).toBeUndefined();
});

it('decides from the state the caller already read, in one write', async () => {
  const { limiter, store } = instance();
  await register(store, 'conn-known');
  await limiter.take('conn-known', 'messages', undefined);

  const row = await store.get('conn-known');
  const result = await limiter.take('conn-known', 'messages', row?.buckets?.messages);

  expect(row?.buckets?.messages).toBe(now + 200);
  expect(result).toStrictEqual({ admitted: true });
  expect((await store.get('conn-known'))?.buckets?.messages).toBe(now + 400);
});

/**
 * An instance whose conditional writes are held at a gate: before each of its UpdateItem calls is sent, `interfere`
 * runs to completion (another instance's work landing first). Reads go straight through. Counts the calls it makes.
 */
function gatedInstance(interfere: () => Promise<void>): { limiter: RateLimiter; calls: string[] } {
  const calls: string[] = [];
  const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(context.commandName ?? '');
      if (context.commandName === 'UpdateItemCommand') await interfere();
      return next(args);
    },
    { step: 'initialize', name: 'gate' },
  );
  return { limiter: new RateLimiter(dynamo.tableNames.connections, DynamoDBDocumentClient.from(raw), buckets, clock), calls };
}

it('admits a frame that keeps losing the race to the same person, as long as the bucket has tokens', async () => {
  // A slow instance: while each of its writes is in flight two seconds pass and the person's next frame, handled by
  // another instance, takes a token first. The person sends one message every two seconds, far under 5 a second, so
  // every refusal would be wrong; the slow frame's write loses five times in a row (once more than the limiter used
  // to retry) before it goes through.
  const other = instance();
  await register(other.store, 'conn-race');
  const othersAdmissions: Admission[] = [];
  const slow = gatedInstance(async () => {
    if (othersAdmissions.length === 5) return;
    now += 2000;
    othersAdmissions.push(await other.limiter.take('conn-race', 'messages', undefined));
  });

  const result = await slow.limiter.take('conn-race', 'messages', undefined);

  expect(othersAdmissions).toStrictEqual(Array.from({ length: 5 }, () => ({ admitted: true })));
  expect(result).toStrictEqual({ admitted: true });
  // Both frames of the last round spent from the bucket: the other one from idle, the slow one right behind it.
  expect((await other.store.get('conn-race'))?.buckets?.messages).toBe(now + 400);
});

it('takes a token after losing an idle race without reading the bucket: two writes', async () => {
  const other = instance();
  await register(other.store, 'conn-idle-race');
  let raced = false;
  const slow = gatedInstance(async () => {
    if (raced) return;
    raced = true;
    await other.limiter.take('conn-idle-race', 'messages', undefined);
  });

  const result = await slow.limiter.take('conn-idle-race', 'messages', undefined);

  expect(result).toStrictEqual({ admitted: true });
  expect(slow.calls).toStrictEqual(['UpdateItemCommand', 'UpdateItemCommand']);
  expect((await other.store.get('conn-idle-race'))?.buckets?.messages).toBe(now + 400);
});

it('fails loudly, instead of trying forever, on a bucket it cannot have written', async () => {
  const { limiter, store } = instance();
  await register(store, 'conn-foreign');
  const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await DynamoDBDocumentClient.from(raw).send(
    new UpdateCommand({
      TableName: dynamo.tableNames.connections,
      Key: { connectionId: 'conn-foreign' },
      UpdateExpression: 'SET #tat = :text',
      ExpressionAttributeNames: { '#tat': bucketAttribute('messages') },
      ExpressionAttributeValues: { ':text': 'not a time' },
    }),
  );

  await expect(limiter.take('conn-foreign', 'messages', undefined)).rejects.toThrow(
    'Rate-limit bucket messages of conn-foreign refuses writes without moving',
  );
});
