import { request as httpRequest } from 'node:http';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ChatClient } from '../support/chat-client';
import { startLocalChat, type LocalChat } from '../support/local-chat';

/** The local @connections API, through the real SDK client the Lambdas use. */

let chat: LocalChat;
let management: ApiGatewayManagementApiClient;

beforeAll(async () => {
  chat = await startLocalChat();
  management = new ApiGatewayManagementApiClient({
    endpoint: chat.managementApiUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
});

afterAll(async () => {
  management.destroy();
  await chat.dispose();
});

async function connectionIdOf(name: string): Promise<string> {
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: chat.dynamoDb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: chat.dynamoDb.tableNames.connections }));
  return String(Items.find((item) => item.name === name)?.connectionId);
}

it('posts to, describes and deletes a connection, and then answers 410 GoneException', async () => {
  const { client } = await ChatClient.join(chat.webSocketUrl, { room: 'management', name: 'Mgmt' });
  const connectionId = await connectionIdOf('Mgmt');

  await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('{"type":"hello"}') }));
  const hello = await client.next((frame) => frame.type === 'hello');
  const described = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
  await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
  const closeCode = await client.waitForClose();
  const gone = await management
    .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('{}') }))
    .catch((error: unknown) => error as { name: string; $metadata: { httpStatusCode: number } });

  expect(hello).toStrictEqual({ type: 'hello' });
  expect(described.Identity?.SourceIp).toBe('127.0.0.1');
  expect(described.ConnectedAt).toBeInstanceOf(Date);
  expect(closeCode).toBe(1000);
  expect(gone).toMatchObject({ name: 'GoneException', $metadata: { httpStatusCode: 410 } });
});

it('answers 410 GoneException for an id it never knew', async () => {
  const error = await management.send(new GetConnectionCommand({ ConnectionId: 'bm90LWEtY29ubmVjdGlvbg==' })).then(
    () => undefined,
    (caught: unknown) => caught as { name: string },
  );

  expect(error?.name).toBe('GoneException');
});

it('sends a post over 32 KB as several frames that arrive as one message', async () => {
  const { client } = await ChatClient.join(chat.webSocketUrl, { room: 'management', name: 'Big' });
  const connectionId = await connectionIdOf('Big');
  const text = 'y'.repeat(100 * 1024);

  await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify({ type: 'big', text })) }));
  const big = await client.next((frame) => frame.type === 'big');

  expect(big.text).toBe(text);
  await client.close();
});

it('refuses a post over 128 KB with PayloadTooLargeException', async () => {
  const { client } = await ChatClient.join(chat.webSocketUrl, { room: 'management', name: 'Huge' });
  const connectionId = await connectionIdOf('Huge');

  const error = await management
    .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.alloc(129 * 1024, 'z') }))
    .catch((caught: unknown) => caught as { name: string; $metadata: { httpStatusCode: number } });

  expect(error).toMatchObject({ name: 'PayloadTooLargeException', $metadata: { httpStatusCode: 413 } });
  await client.close();
});

it('refuses a request that names another host (DNS rebinding), and delivers nothing', async () => {
  const { client } = await ChatClient.join(chat.webSocketUrl, { room: 'management', name: 'Rebound' });
  const connectionId = await connectionIdOf('Rebound');
  const url = new URL(`${chat.managementApiUrl}/@connections/${encodeURIComponent(connectionId)}`);

  const status = await new Promise<number>((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { host: `evil.example:${url.port}` } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end('{"type":"hijack"}');
  });
  client.send({ action: 'history', limit: 1 });
  await client.next((frame) => frame.type === 'history');

  expect(status).toBe(403);
  expect(client.frames.map((frame) => frame.type)).not.toContain('hijack');
  await client.close();
});
