import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GONE_GRACE_MS, removeGone } from '../../lambdas/fanout/remove-gone';
import type { BusRecord } from '../../lambdas/shared/bus-event';
import { ConnectionsStore, connectionExpiresAt, type Connection } from '../../lambdas/shared/connections-store';
import type { EventBus } from '../../lambdas/shared/event-bus';
import { NameClaims } from '../../lambdas/shared/name-claims';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/local-credentials';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../local/services/local-dynamodb';

/** Fanout's clean-up of connections API Gateway says are gone, against the connections table in dynalite. */
let dynamo: LocalDynamoDb;
let connections: ConnectionsStore;
let names: NameClaims;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb({ tablePrefix: 'gone' });
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  connections = new ConnectionsStore(dynamo.tableNames.connections, client);
  names = new NameClaims(dynamo.tableNames.connections, client);
});

afterAll(async () => {
  await dynamo.stop();
});

it("frees a gone connection's name before announcing that it left, so whoever hears it left can take the name", async () => {
  const ann: Connection = { connectionId: 'gone-ann=', room: 'lobby', userId: 'u-ann', name: 'Ann', connectedAt: Date.now() - GONE_GRACE_MS - 1000 };
  await connections.register(ann);
  expect(await names.claim('Ann', { ...ann, expiresAt: connectionExpiresAt(ann.connectedAt) })).toBe(true);
  const later = Date.now();
  const announced: { record: BusRecord; nameFree: boolean }[] = [];
  const bus = {
    publish: async (record: BusRecord) => {
      // Whoever reads the leave and connects as Ann at once must get "Ann", not "Ann 2".
      const nameFree = await names.claim('Ann', { room: 'lobby', userId: 'u-new', connectionId: 'new-ann=', expiresAt: connectionExpiresAt(later) });
      announced.push({ record, nameFree });
      return 'sequence-1';
    },
  } as unknown as EventBus;

  await removeGone([ann], 'lobby', { connections, names, bus });

  expect(await connections.get(ann.connectionId)).toBeUndefined();
  expect(announced).toHaveLength(1);
  expect(announced[0]?.record.frame).toMatchObject({ type: 'member', event: 'leave', member: { connectionId: ann.connectionId, name: 'Ann' } });
  expect(announced[0]?.nameFree).toBe(true);
});

it('keeps a connection that answered 410 within the grace period, and its name', async () => {
  const bob: Connection = { connectionId: 'new-bob=', room: 'lobby', userId: 'u-bob', name: 'Bob', connectedAt: Date.now() };
  await connections.register(bob);
  await names.claim('Bob', { ...bob, expiresAt: connectionExpiresAt(bob.connectedAt) });
  const publish = jest.fn();

  await removeGone([bob], 'lobby', { connections, names, bus: { publish } as unknown as EventBus });

  expect(await connections.get(bob.connectionId)).toBeDefined();
  expect(publish).not.toHaveBeenCalled();
  expect(await names.claim('Bob', { room: 'lobby', userId: 'u-other', connectionId: 'other=', expiresAt: connectionExpiresAt(Date.now()) })).toBe(false);
});

it('puts the row back when the leave cannot be announced, so the next fanout that finds it gone announces it', async () => {
  const cy: Connection = { connectionId: 'gone-cy=', room: 'lobby', userId: 'u-cy', name: 'Cy', connectedAt: Date.now() - GONE_GRACE_MS - 1000 };
  await connections.register(cy);
  const failing = { publish: jest.fn().mockRejectedValue(new Error('ProvisionedThroughputExceededException')) } as unknown as EventBus;

  await expect(removeGone([cy], 'lobby', { connections, names, bus: failing })).rejects.toThrow('ProvisionedThroughputExceededException');
  expect(await connections.get(cy.connectionId)).toMatchObject({ name: 'Cy', room: 'lobby', connectedAt: cy.connectedAt });

  const publish = jest.fn().mockResolvedValue('sequence-2');
  await removeGone([cy], 'lobby', { connections, names, bus: { publish } as unknown as EventBus });
  expect(publish).toHaveBeenCalledTimes(1);
  expect(publish.mock.calls[0]?.[0]).toMatchObject({ frame: { type: 'member', event: 'leave', member: { connectionId: cy.connectionId } } });
  expect(await connections.get(cy.connectionId)).toBeUndefined();
});
