import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { HttpResponse, type HttpRequest } from '@smithy/core/transport';
import { closedPort } from '../support/closed-port';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { SigV4Signer } from '../../lambdas/shared/aws/sign-v4';
import { ConnectionPoster, isRetryable, PostToConnectionError } from '../../lambdas/shared/connection-poster';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };
const REGION = 'eu-west-1';
/** Connection ids are base64-like: `=`, `+` and `/` must survive both URI encodings. */
const IDS = ['L0SM9cOFvHcCIhw=', 'a+b/c=d', 'Zm9vYmFy'];

/** The request the SDK's own client would send, signed by its own signer, captured before it leaves. */
async function sdkRequest(endpoint: string, connectionId: string, data: string): Promise<HttpRequest> {
  let captured: HttpRequest | undefined;
  const client = new ApiGatewayManagementApiClient({
    endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    requestHandler: {
      handle: async (request: HttpRequest) => {
        captured = request;
        return { response: new HttpResponse({ statusCode: 200, headers: {}, body: Readable.from([]) }) };
      },
    },
  });
  await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(data) }));
  if (!captured) throw new Error('the SDK sent nothing');
  return captured;
}

describe('SigV4Signer', () => {
  test.each(IDS)('signs the SDK client\'s own PostToConnection request for %s exactly as the SDK does', async (connectionId) => {
    const sent = await sdkRequest('https://abc123.execute-api.eu-west-1.amazonaws.com/prod', connectionId, '{"type":"message"}');
    const { authorization, 'x-amz-date': amzDate, host } = sent.headers;
    // The headers the SDK signed, less the ones the signer adds itself.
    const signedNames = authorization?.match(/SignedHeaders=([^,]+)/)?.[1]?.split(';') ?? [];
    const signed = Object.fromEntries(
      signedNames.filter((name) => name !== 'host' && !['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'].includes(name)).map((name) => [name, sent.headers[name] as string]),
    );
    const date = new Date(`${amzDate?.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')}`);
    const ours = new SigV4Signer(CREDENTIALS, REGION, 'execute-api').sign(
      { method: sent.method, host: host as string, path: sent.path, headers: signed, body: Buffer.from(sent.body as Uint8Array) },
      date,
    );
    expect(signedNames).toContain('content-type');
    expect(sent.path).toBe(`/prod/@connections/${encodeURIComponent(connectionId)}`);
    expect(ours).toStrictEqual({
      'x-amz-content-sha256': sent.headers['x-amz-content-sha256'],
      'x-amz-date': amzDate,
      'x-amz-security-token': 'session-token',
      authorization: authorization,
    });
  });
});

interface Received {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('ConnectionPoster', () => {
  let server: Server;
  let endpoint: string;
  const received: Received[] = [];
  /** Statuses to answer, one per request, then 200. */
  let answers: { status: number; errorType?: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString() });
        const answer = answers.shift() ?? { status: 200 };
        const headers = answer.errorType ? { 'content-type': 'application/json', 'x-amzn-errortype': answer.errorType } : {};
        response.writeHead(answer.status, headers).end(answer.errorType ? '{"message":"internal detail 10.0.0.7"}' : undefined);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    answers = [];
  });

  const poster = () => new ConnectionPoster({ endpoint, region: REGION, credentials: CREDENTIALS });

  test('sends the body to the connection\'s path, signed for execute-api in the region with the session token', async () => {
    await expect(poster().post('a+b/c=d', { type: 'pong' } as never)).resolves.toBe('sent');
    expect(received).toHaveLength(1);
    const [request] = received as [Received];
    expect([request.method, request.url, request.body]).toStrictEqual(['POST', '/prod/@connections/a%2Bb%2Fc%3Dd', '{"type":"pong"}']);
    expect(request.headers['x-amz-security-token']).toBe('session-token');
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });

  test('the same request, signed, as the SDK sends it: same path and signature over the same headers', async () => {
    await poster().post('L0SM9cOFvHcCIhw=', 'hello');
    const [request] = received as [Received];
    const sdk = await sdkRequest(endpoint, 'L0SM9cOFvHcCIhw=', 'hello');
    expect(request.url).toBe(sdk.path);
    const signed = (request.headers.authorization as string).match(/SignedHeaders=([^,]+)/)?.[1]?.split(';') ?? [];
    const headers = Object.fromEntries(signed.filter((name) => !name.startsWith('x-amz-') && name !== 'host').map((name) => [name, request.headers[name] as string]));
    const date = new Date((request.headers['x-amz-date'] as string).replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    const expected = new SigV4Signer(CREDENTIALS, REGION, 'execute-api').sign({ method: 'POST', host: request.headers.host as string, path: sdk.path, headers, body: Buffer.from('hello') }, date);
    expect(request.headers.authorization).toBe(expected.authorization);
  });

  test('joins the connection path to the endpoint with or without its trailing slash, or at the root of its host', async () => {
    const root = endpoint.replace(/\/prod$/, '');
    for (const base of [`${endpoint}/`, root, `${root}/`]) await new ConnectionPoster({ endpoint: base, region: REGION, credentials: CREDENTIALS }).post('Zm9vYmFy', 'x');
    expect(received.map((request) => request.url)).toStrictEqual(['/prod/@connections/Zm9vYmFy', '/@connections/Zm9vYmFy', '/@connections/Zm9vYmFy']);
  });

  test('410 is a gone connection, not an error, and is not retried', async () => {
    answers = [{ status: 410, errorType: 'GoneException' }];
    await expect(poster().post('Zm9vYmFy', 'x')).resolves.toBe('gone');
    expect(received).toHaveLength(1);
  });

  test('500 and 429 are retried by the SDK\'s standard strategy: three attempts, then the error API Gateway named', async () => {
    answers = [{ status: 500, errorType: 'InternalServerErrorException' }, { status: 429, errorType: 'LimitExceededException' }];
    await expect(poster().post('Zm9vYmFy', 'x')).resolves.toBe('sent');
    expect(received).toHaveLength(3);

    received.length = 0;
    answers = [1, 2, 3].map(() => ({ status: 500, errorType: 'InternalServerErrorException:http://internal.amazon.com/' }));
    const error = await poster().post('Zm9vYmFy', 'x').catch((caught: unknown) => caught);
    expect(received).toHaveLength(3);
    expect(error).toBeInstanceOf(PostToConnectionError);
    expect([(error as Error).name, (error as Error).message, isRetryable(error)]).toStrictEqual([
      'InternalServerErrorException',
      'PostToConnection answered 500 InternalServerErrorException',
      true,
    ]);
  });

  test('a client error fails at once, and nothing of the answer\'s body is kept', async () => {
    answers = [{ status: 400, errorType: 'BadRequestException' }];
    const error = await poster().post('Zm9vYmFy', 'x').catch((caught: unknown) => caught);
    expect(received).toHaveLength(1);
    expect([(error as Error).name, isRetryable(error), JSON.stringify(error).includes('10.0.0.7')]).toStrictEqual(['BadRequestException', false, false]);
  });

  test('a refused connection is a network error, retried, then reported as retryable', async () => {
    const closed = new ConnectionPoster({ endpoint: `http://127.0.0.1:${await closedPort()}/prod`, region: REGION, credentials: CREDENTIALS });
    const error = await closed.post('Zm9vYmFy', 'x').catch((caught: unknown) => caught);
    expect([(error as Error).name, (error as PostToConnectionError).$metadata.httpStatusCode, isRetryable(error)]).toStrictEqual(['ECONNREFUSED', undefined, true]);
  });
});
