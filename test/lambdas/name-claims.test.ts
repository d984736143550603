import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { NameClaims, type NameHolder } from '../../lambdas/shared/name-claims';
import { onConnect } from '../../lambdas/connect/on-connect';
import type { EventBus } from '../../lambdas/shared/event-bus';
import type { WebSocketEvent } from '../../lambdas/shared/websocket-event';
import { ConnectionsStore } from '../../lambdas/shared/connections-store';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/local-credentials';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../local/services/local-dynamodb';

/** Name claims against the connections table in dynalite, each "instance" with its own SDK client, as concurrent $connects. */
let dynamo: LocalDynamoDb;
const later = Math.floor(Date.now() / 1000) + 3600;

function claims(): NameClaims {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  return new NameClaims(dynamo.tableNames.connections, client);
}

const holder = (room: string, userId: string, connectionId: string, expiresAt = later): NameHolder => ({ room, userId, connectionId, expiresAt });

beforeAll(async () => {
  dynamo = await startLocalDynamoDb({ tablePrefix: 'names' });
});

afterAll(async () => {
  await dynamo.stop();
});

it('gives a free name, shares it with the same author\'s other connections, refuses it to anyone else, ignoring case and width', async () => {
  const names = claims();
  expect(await names.claim('Ann', holder('a', 'u-ann', 'c1'))).toBe(true);
  expect(await names.claim('ann', holder('a', 'u-ann', 'c2'))).toBe(true);
  expect(await names.claim('ＡＮＮ', holder('a', 'u-bob', 'c3'))).toBe(false);
  expect(await names.claim('Ann', holder('another-room', 'u-bob', 'c4'))).toBe(true);
});

it('lets exactly one of many people asking for one name at the same instant have it', async () => {
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => claims().claim('Zed', holder('b', `u-${i}`, `c${i}`))));
  expect(results.filter(Boolean)).toHaveLength(1);
});

it('frees a name when the author\'s last connection using it lets go, not before', async () => {
  const names = claims();
  await names.claim('Cy', holder('c', 'u-cy', 'c1'));
  await names.claim('Cy', holder('c', 'u-cy', 'c2'));
  await names.release('Cy', holder('c', 'u-cy', 'c1'));
  expect(await names.claim('Cy', holder('c', 'u-other', 'c3'))).toBe(false);
  await names.release('Cy', holder('c', 'u-cy', 'c2'));
  expect(await names.claim('Cy', holder('c', 'u-other', 'c3'))).toBe(true);
});

it('lets someone else take a claim that expired without being released, and the old holder\'s late release leaves it alone', async () => {
  const names = claims();
  const past = Math.floor(Date.now() / 1000) - 1;
  await names.claim('Di', holder('d', 'u-ghost', 'c1', past));
  expect(await names.claim('Di', holder('d', 'u-di', 'c2'))).toBe(true);
  await names.release('Di', holder('d', 'u-ghost', 'c1'));
  expect(await names.claim('Di', holder('d', 'u-third', 'c3'))).toBe(false);
});

it('is invisible to everything that lists a room', async () => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const store = new ConnectionsStore(dynamo.tableNames.connections, client);
  await store.register({ connectionId: 'conn-e', room: 'e', userId: 'u-eve', name: 'Eve', connectedAt: Date.now() });
  await new NameClaims(dynamo.tableNames.connections, client).claim('Eve', holder('e', 'u-eve', 'conn-e'));
  expect(await store.listRoom('e')).toStrictEqual([{ connectionId: 'conn-e', connectedAt: expect.any(Number) }]);
  expect(await store.namedMembers('e', 10)).toStrictEqual({ members: [{ connectionId: 'conn-e', userId: 'u-eve', name: 'Eve' }], online: 1 });
});

it('refuses the handshake as an invalid name (422) once the name and its 29 numbered forms are held by others', async () => {
  const names = claims();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const published: unknown[] = [];
  const deps = {
    connections: new ConnectionsStore(dynamo.tableNames.connections, client),
    names,
    bus: { publish: async (frame: unknown) => void published.push(frame) } as unknown as EventBus,
    allowedOrigins: [],
    botName: 'bot',
  };
  const connect = (connectionId: string) =>
    onConnect({ requestContext: { connectionId, routeKey: '$connect' }, queryStringParameters: { room: 'full-names', name: 'Zoe' }, headers: {} } as unknown as WebSocketEvent, deps);
  await Promise.all(['Zoe', ...Array.from({ length: 28 }, (_, i) => `Zoe ${i + 2}`)].map((name, i) => names.claim(name, holder('full-names', `u-${i}`, `held-${i}`))));

  expect(await connect('conn-last-free')).toStrictEqual({ statusCode: 200 });
  expect(await connect('conn-one-too-many')).toStrictEqual({ statusCode: 422 });
  expect(published).toHaveLength(1);
});

it('has $connect claim the name until 3 hours after the connection opened (the claim\'s expiry and TTL)', async () => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const deps = {
    connections: new ConnectionsStore(dynamo.tableNames.connections, client),
    names: claims(),
    bus: { publish: async () => 'sequence-1' } as unknown as EventBus,
    allowedOrigins: [],
    botName: 'bot',
  };
  const before = Math.floor(Date.now() / 1000);
  const result = await onConnect(
    { requestContext: { connectionId: 'conn-flo', routeKey: '$connect' }, queryStringParameters: { room: 'expiry', name: 'Flo' }, headers: {} } as unknown as WebSocketEvent,
    deps,
  );
  const after = Math.floor(Date.now() / 1000);

  expect(result).toStrictEqual({ statusCode: 200 });
  const { Item } = await client.send(new GetCommand({ TableName: dynamo.tableNames.connections, Key: { connectionId: 'name#expiry#flo' } }));
  const threeHours = 3 * 60 * 60;
  expect(Item?.expiresAt).toBeGreaterThanOrEqual(before + threeHours);
  expect(Item?.expiresAt).toBeLessThanOrEqual(after + threeHours);
});
