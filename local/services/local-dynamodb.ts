import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLES, type TableName, type TableSpec } from '../../contract';
import { closeServer, listen } from '../listen';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-credentials';

export interface LocalDynamoDb {
  endpoint: string;
  tableNames: Record<TableName, string>;
  stop(): Promise<void>;
}

/** dynalite (real DynamoDB API over LevelDB) with every table of the topology. `path` persists it on disk. */
export async function startLocalDynamoDb(options: { path?: string; tablePrefix: string }): Promise<LocalDynamoDb> {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const endpoint = `http://127.0.0.1:${await listen(server)}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const tableNames = {} as Record<TableName, string>;
  for (const [name, spec] of Object.entries(TABLES) as [TableName, TableSpec][]) {
    tableNames[name] = `${options.tablePrefix}-${name}`;
    await ensureTable(client, createTableInput(tableNames[name], spec));
  }
  client.destroy();
  return { endpoint, tableNames, stop: () => closeServer(server) };
}

function createTableInput(tableName: string, spec: TableSpec): CreateTableCommandInput {
  const keyNames = new Set([spec.partitionKey, spec.sortKey]);
  const indexes = Object.entries(spec.indexes);
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
          Projection: index.nonKeyAttributes.length
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

async function ensureTable(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: input.TableName }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(input));
  }
}
