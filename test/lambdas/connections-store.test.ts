import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConnectionsStore } from '../../lambdas/shared/connections-store';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/local-credentials';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../local/services/local-dynamodb';

let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb({ tablePrefix: 'store' });
});

afterAll(async () => {
  await dynamo.stop();
});

it("names welcome's first members only, and counts everyone in the room", async () => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const store = new ConnectionsStore(dynamo.tableNames.connections, client);
  for (let i = 0; i < 7; i += 1) await store.register({ connectionId: `conn-${i}`, room: 'full', userId: `u-${i}`, name: `P${i}`, connectedAt: Date.now() });
  await store.register({ connectionId: 'conn-x', room: 'elsewhere', userId: 'u-x', name: 'X', connectedAt: Date.now() });

  const { members, online } = await store.namedMembers('full', 3);

  expect(online).toBe(7);
  expect(members).toStrictEqual([0, 1, 2].map((i) => ({ connectionId: `conn-${i}`, userId: `u-${i}`, name: `P${i}` })));
  expect(await store.namedMembers('empty', 3)).toStrictEqual({ members: [], online: 0 });
});
