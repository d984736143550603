import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  paginateScan,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLES, type TableName, type TableSpec } from '../../contract';
import { closeServer, listen } from '../listen';
import { RequestsInFlight } from './requests-in-flight';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-credentials';

export interface LocalDynamoDb {
  endpoint: string;
  tableNames: Record<TableName, string>;
  stop(): Promise<void>;
}

/** One table of any app. Every key attribute (of the table and its indexes) is a string. */
export interface LocalTableSpec {
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Global secondary indexes; `nonKeyAttributes` copied into the index besides the keys (none: KEYS_ONLY). */
  readonly indexes?: Readonly<Record<string, { readonly partitionKey: string; readonly sortKey?: string; readonly nonKeyAttributes?: readonly string[] }>>;
  /** Emptied at every start even when the data folder kept it: state that did not survive the previous run. */
  readonly emptyOnStart?: boolean;
  /**
   * A table kept from an older definition whose indexes differ is deleted and recreated (dynalite cannot add an
   * index): for tables whose items can be lost. Otherwise the start fails rather than lose data. @default false
   */
  readonly recreateWhenIndexesChange?: boolean;
}

export interface LocalDynamoDbOptions {
  /** Folder it persists in. @default memory only */
  path?: string;
  tablePrefix: string;
  /** Tables started empty even when `path` kept them: state that did not survive the previous run. @default none */
  emptyOnStart?: readonly TableName[];
}

/** dynalite (real DynamoDB API over LevelDB) with every table of the topology. `path` persists it on disk. */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions): Promise<LocalDynamoDb> {
  const tableNames = Object.fromEntries(Object.keys(TABLES).map((name) => [name, `${options.tablePrefix}-${name}`])) as Record<TableName, string>;
  const tables = Object.fromEntries(
    (Object.entries(TABLES) as [TableName, TableSpec][]).map(([name, spec]) => [tableNames[name], chatTable(spec, options.emptyOnStart?.includes(name) ?? false)]),
  );
  const started = await startDynamoDbWithTables({ path: options.path, tables });
  return { ...started, tableNames };
}

/** A table of the topology as the local DynamoDB creates it. */
export function chatTable(spec: TableSpec, emptyOnStart: boolean): LocalTableSpec {
  return {
    partitionKey: spec.partitionKey,
    sortKey: spec.sortKey,
    indexes: spec.indexes,
    emptyOnStart,
    recreateWhenIndexesChange: !spec.pointInTimeRecovery,
  };
}

/** dynalite with the given tables, by their full names. `path` persists it on disk. */
export async function startDynamoDbWithTables(options: { path?: string; tables: Readonly<Record<string, LocalTableSpec>> }): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // dynalite closes its LevelDB when its server closes: a query still running (from a function stopped mid-request)
  // would then throw "Database is not open" from a callback, out of everyone's reach. Its own close() must still be
  // the one that closes the server (it refuses a closed one, and would leave the LevelDB open), hence `settled`.
  const inFlight = new RequestsInFlight(server);
  const endpoint = `http://127.0.0.1:${await listen(server)}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    for (const [tableName, spec] of Object.entries(options.tables)) {
      const kept = await ensureTable(client, createTableInput(tableName, spec), spec);
      if (kept && spec.emptyOnStart) await emptyTable(client, tableName, spec);
    }
  } catch (error) {
    await closeServer(server);
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    stop: async () => {
      await inFlight.settled();
      await closeServer(server);
    },
  };
}

function createTableInput(tableName: string, spec: LocalTableSpec): CreateTableCommandInput {
  const keyNames = new Set([spec.partitionKey, spec.sortKey]);
  const indexes = Object.entries(spec.indexes ?? {});
  for (const [, index] of indexes) keyNames.add(index.partitionKey).add(index.sortKey);
  keyNames.delete(undefined);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keyNames].map((name) => ({ AttributeName: name as string, AttributeType: 'S' })),
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    GlobalSecondaryIndexes: indexes.length
      ? indexes.map(([indexName, index]) => ({
          IndexName: indexName,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
          Projection: index.nonKeyAttributes?.length
            ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] }
            : { ProjectionType: 'KEYS_ONLY' },
        }))
      : undefined,
  };
}

function keySchema(partitionKey: string, sortKey: string | undefined) {
  return [
    { AttributeName: partitionKey, KeyType: 'HASH' as const },
    ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
  ];
}

/**
 * Creates the table if it is missing. A table kept in the data folder from an older topology whose indexes differ
 * (dynalite cannot add an index to a table) is recreated when it only holds short-lived state (the connections of a
 * previous run, which do not survive a restart anyway); otherwise the runtime refuses to start rather than lose data.
 * True when it kept the table that was there (with its items).
 */
async function ensureTable(client: DynamoDBClient, input: CreateTableCommandInput, spec: LocalTableSpec): Promise<boolean> {
  let existing: string[];
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    existing = (Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName ?? '').sort();
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(input));
    return false;
  }
  const wanted = Object.keys(spec.indexes ?? {}).sort();
  if (existing.join() === wanted.join()) return true;
  if (!spec.recreateWhenIndexesChange) {
    throw new Error(`Table ${input.TableName} in the data folder has indexes [${existing.join(', ')}], expected [${wanted.join(', ')}]; start with --fresh`);
  }
  await client.send(new DeleteTableCommand({ TableName: input.TableName }));
  await client.send(new CreateTableCommand(input));
  return false;
}

/** Deletes every item of the table (a scan, then batches of 25 deletes: these tables hold a few rows). */
async function emptyTable(client: DynamoDBClient, tableName: string, spec: LocalTableSpec): Promise<void> {
  const keyNames = [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])];
  const pages = paginateScan({ client }, { TableName: tableName, ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(keyNames.map((name, i) => [`#k${i}`, name])) });
  for await (const { Items = [] } of pages) {
    for (let start = 0; start < Items.length; start += 25) {
      let requests = Items.slice(start, start + 25).map((Key) => ({ DeleteRequest: { Key } }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  }
}
