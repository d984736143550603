// Entries 1-8 and 12 of docs/local-runtime.md's "Where the local runtime differs from AWS" ("row N" below): the local
// API Gateway WebSocket API behaves as AWS's does, at least one test per entry. The gateway runs in-process with
// handlers written here (as any app's would be), behind a real HTTP server; clients are real `ws` sockets and, for
// @connections, the real SDK v3 management client.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiGatewayManagementApiClient,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import WebSocket from 'ws';
import { API_GATEWAY_LIMITS, type GatewayLimits } from '../../local/gateway/limits';
import { isManagementRequest } from '../../local/gateway/management-api';
import { WebSocketGateway } from '../../local/gateway/websocket-gateway';

interface TestEvent {
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  body?: string;
  requestContext: { routeKey: string; connectionId: string; requestId: string; extendedRequestId: string; messageId?: string };
}
type Handler = (event: TestEvent) => unknown;

/** AWS's ids: 11 bytes as 15 URL-safe base64 characters and one `=`. */
const AWS_ID = /^[A-Za-z0-9_-]{15}=$/;

class TestApi {
  public readonly invocations: TestEvent[] = [];
  public readonly management: ApiGatewayManagementApiClient;
  private waiters: { predicate: (event: TestEvent) => boolean; resolve: (event: TestEvent) => void }[] = [];

  private constructor(
    public readonly gateway: WebSocketGateway<string>,
    private readonly server: Server,
    public readonly port: number,
  ) {
    this.management = new ApiGatewayManagementApiClient({
      endpoint: this.managementUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      // A 429 is retried by default: one attempt shows what the API answered.
      maxAttempts: 1,
    });
  }

  public static async start(routes: Record<string, Handler>, limits: Partial<GatewayLimits> = {}): Promise<TestApi> {
    let api: TestApi | undefined;
    const gateway = new WebSocketGateway<string>({
      stage: 'prod',
      routes: Object.keys(routes),
      invoke: async (route, event) => {
        api?.record(event as TestEvent);
        return (routes[route] as Handler)(event as TestEvent);
      },
      limits: { ...API_GATEWAY_LIMITS, ...limits },
      log: () => undefined,
    });
    const server = createServer((request, response) => {
      if (isManagementRequest(request.url ?? '')) void gateway.handleManagement(request, response);
      else response.writeHead(404).end();
    });
    server.on('upgrade', (request, socket, head: Buffer) => void gateway.handleUpgrade(request, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = new TestApi(gateway, server, (server.address() as AddressInfo).port);
    return api;
  }

  public get url(): string {
    return `ws://127.0.0.1:${this.port}/prod`;
  }

  public get managementUrl(): string {
    return `http://127.0.0.1:${this.port}/prod`;
  }

  /** The first invocation (made or still to come) matching `predicate`. */
  public invocation(predicate: (event: TestEvent) => boolean): Promise<TestEvent> {
    const seen = this.invocations.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  public routesOf(connectionId: string): string[] {
    return this.invocations.filter((event) => event.requestContext.connectionId === connectionId).map((event) => event.requestContext.routeKey);
  }

  public async stop(): Promise<void> {
    this.management.destroy();
    await this.gateway.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(event: TestEvent): void {
    this.invocations.push(event);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(event)) return true;
      waiter.resolve(event);
      return false;
    });
  }
}

/** A real client: every text message it got, and how it closed. */
interface Client {
  socket: WebSocket;
  messages: string[];
  closed: Promise<{ code: number; reason: string }>;
  /** The next message (or one already received but not yet taken). */
  next(): Promise<string>;
}

function connect(url: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<Client> {
  const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
  const messages: string[] = [];
  let taken = 0;
  let wake: (() => void) | undefined;
  socket.on('message', (data: Buffer) => {
    messages.push(data.toString('utf8'));
    wake?.();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
  );
  const next = async (): Promise<string> => {
    while (messages.length <= taken) await new Promise<void>((resolve) => (wake = resolve));
    return messages[taken++] as string;
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages, closed, next }));
    socket.once('error', reject);
  });
}

/** A handshake the gateway refused: its status, headers and body exactly. */
function refusal(url: string, query: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url}?${query}`);
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    socket.once('open', () => reject(new Error('the handshake was accepted')));
    socket.once('error', () => undefined);
  });
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end(body);
  });
}

const ok = () => ({ statusCode: 200 });

describe('a chat-like API with $default', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start({
      $connect: (event) => {
        const query = event.queryStringParameters ?? {};
        if (query.refuse) return { statusCode: Number(query.refuse), body: '{"type":"error","code":"secret_reason"}' };
        if (query.crash) throw new Error('connect function crashed');
        if (query.protocol) return { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': query.protocol } };
        return ok();
      },
      $disconnect: ok,
      $default: ok,
    });
  });
  afterAll(async () => {
    await api.stop();
  });

  const connectionIdOf = async (client: Client): Promise<string> => {
    client.socket.send('{"who":"me"}');
    const event = await api.invocation((candidate) => candidate.body === '{"who":"me"}' && !taken.has(candidate.requestContext.connectionId));
    taken.add(event.requestContext.connectionId);
    return event.requestContext.connectionId;
  };
  const taken = new Set<string>();

  it('row 1: closes the connection with 1003 on a binary frame, which reaches no route', async () => {
    const client = await connect(api.url);
    const id = await connectionIdOf(client);

    client.socket.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const closed = await client.closed;
    await api.invocation((event) => event.requestContext.connectionId === id && event.requestContext.routeKey === '$disconnect');

    expect(closed.code).toBe(1003);
    expect(api.routesOf(id)).toStrictEqual(['$connect', '$default', '$disconnect']);
  });

  it('row 2: a refused $connect sends the client its status code only, never the body', async () => {
    const refused = await refusal(api.url, 'refuse=422');
    const crashed = await refusal(api.url, 'crash=1');

    expect([refused.status, refused.body, refused.headers['content-length']]).toStrictEqual([422, '', '0']);
    expect([crashed.status, crashed.body]).toStrictEqual([500, '']);
  });

  it('row 3: closes with 1009 on a frame over 32 KB and routes neither it nor what follows; what came before is routed', async () => {
    const client = await connect(api.url);
    const id = await connectionIdOf(client);

    client.socket.send('{"n":"before"}');
    client.socket.send(JSON.stringify({ n: 'oversized', text: 'x'.repeat(33 * 1024) }));
    client.socket.send('{"n":"after"}');
    const closed = await client.closed;
    await api.invocation((event) => event.requestContext.connectionId === id && event.requestContext.routeKey === '$disconnect');

    expect(closed.code).toBe(1009);
    const bodies = api.invocations.filter((event) => event.requestContext.connectionId === id).map((event) => event.body);
    expect(bodies).toStrictEqual([undefined, '{"who":"me"}', '{"n":"before"}', undefined]);
  });

  it('row 4: the subprotocol is the one the $connect handler answers in Sec-WebSocket-Protocol, and none without it', async () => {
    const chosen = await connect(`${api.url}?protocol=chat.v1`, { protocols: ['chat.v2', 'chat.v1'] });
    const connectEvent = await api.invocation((event) => event.queryStringParameters?.protocol === 'chat.v1');
    const unanswered = await connect(api.url, { protocols: ['chat.v2', 'chat.v1'] }).then(
      () => 'opened',
      (error: Error) => error.message,
    );

    expect(chosen.socket.protocol).toBe('chat.v1');
    expect(connectEvent.headers?.['Sec-WebSocket-Protocol']).toBe('chat.v2,chat.v1');
    expect(unanswered).toBe('Server sent no subprotocol');
    chosen.socket.close();
  });

  it('row 5: $disconnect carries Host, x-api-key, X-Forwarded-For and x-restapi only: no Cookie, no Authorization', async () => {
    const client = await connect(api.url, { headers: { Cookie: 'session=secret', Authorization: 'Bearer token' } });
    const id = await connectionIdOf(client);
    const connectEvent = await api.invocation((event) => event.requestContext.connectionId === id && event.requestContext.routeKey === '$connect');

    client.socket.close();
    const disconnect = await api.invocation((event) => event.requestContext.connectionId === id && event.requestContext.routeKey === '$disconnect');

    expect([connectEvent.headers?.Cookie, connectEvent.headers?.Authorization]).toStrictEqual(['session=secret', 'Bearer token']);
    const host = `127.0.0.1:${api.port}`;
    expect([disconnect.headers, disconnect.multiValueHeaders]).toStrictEqual([
      { Host: host, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' },
      { Host: [host], 'x-api-key': [''], 'X-Forwarded-For': [''], 'x-restapi': [''] },
    ]);
  });

  it('row 8: @connections answers the URL-encoded %40connections path, 400 BadRequestException for a malformed id, and can answer 429', async () => {
    const client = await connect(api.url);
    const id = await connectionIdOf(client);

    const encodedStatus = await post(`${api.managementUrl}/%40connections/${encodeURIComponent(id)}`, '{"via":"%40"}');
    const delivered = await client.next();
    const malformed = await api.management
      .send(new PostToConnectionCommand({ ConnectionId: 'not a connection id', Data: Buffer.from('{}') }))
      .catch((error: { name: string; message: string; $metadata: { httpStatusCode: number } }) => error);
    api.gateway.faults.failPostsTo(id, 429, 'LimitExceededException');
    const throttled = await api.management
      .send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('{}') }))
      .catch((error: { name: string; message: string; $metadata: { httpStatusCode: number } }) => error);
    api.gateway.faults.clear(id);
    const described = await api.management.send(new GetConnectionCommand({ ConnectionId: id }));

    expect([encodedStatus, delivered]).toStrictEqual([200, '{"via":"%40"}']);
    expect(malformed).toMatchObject({ name: 'BadRequestException', message: 'Invalid connectionId: not a connection id', $metadata: { httpStatusCode: 400 } });
    expect(throttled).toMatchObject({ name: 'LimitExceededException', $metadata: { httpStatusCode: 429 } });
    expect(described.Identity?.SourceIp).toBe('127.0.0.1');
    client.socket.close();
  });

  it('row 12: ids shaped as AWS issues them (requestId = extendedRequestId) and $connect headers as its front end passes them', async () => {
    const client = await connect(api.url, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    const id = await connectionIdOf(client);
    const connectEvent = await api.invocation((event) => event.requestContext.connectionId === id && event.requestContext.routeKey === '$connect');
    const message = await api.invocation((event) => event.requestContext.connectionId === id && event.body === '{"who":"me"}');

    const { requestContext, headers = {}, multiValueHeaders = {} } = connectEvent;
    expect([id, requestContext.requestId, message.requestContext.requestId, message.requestContext.messageId]).toStrictEqual(
      Array(4).fill(expect.stringMatching(AWS_ID)),
    );
    expect(requestContext.extendedRequestId).toBe(requestContext.requestId);
    expect(message.requestContext.extendedRequestId).toBe(message.requestContext.requestId);
    expect(headers).toMatchObject({
      Host: `127.0.0.1:${api.port}`,
      'X-Forwarded-For': '203.0.113.9, 127.0.0.1',
      'X-Forwarded-Port': String(api.port),
      'X-Forwarded-Proto': 'http',
      'X-Amzn-Trace-Id': expect.stringMatching(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/),
      'Sec-WebSocket-Version': '13',
    });
    expect(Object.keys(headers).filter((name) => /^(connection|upgrade)$/i.test(name))).toStrictEqual([]);
    expect(Object.keys(multiValueHeaders)).toStrictEqual(Object.keys(headers));
    client.socket.close();
  });
});

describe('row 2: a $connect that times out', () => {
  let api: TestApi;
  let releaseConnect: () => void = () => undefined;
  beforeAll(async () => {
    // API Gateway's own limits, so the integration timeout is its 29 s.
    api = await TestApi.start({ $connect: () => new Promise<void>((resolve) => (releaseConnect = resolve)).then(ok), $disconnect: ok, $default: ok });
  });
  afterAll(async () => {
    jest.useRealTimers();
    releaseConnect();
    await api.stop();
  });

  it('answers 504 with an empty body once the integration timeout has passed', async () => {
    // Only the clock is fake: sockets, and the events they raise, are real.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance'] });
    const answered = refusal(api.url, 'slow=1');
    await api.invocation((event) => event.requestContext.routeKey === '$connect');

    jest.advanceTimersByTime(API_GATEWAY_LIMITS.integrationTimeoutMs);
    const timedOut = await answered;

    expect([timedOut.status, timedOut.body]).toStrictEqual([504, '']);
  });
});

describe('row 6: the idle timeout', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start({ $connect: ok, $disconnect: ok, $default: ok }, { idleTimeoutMs: 10_000 });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await api.stop();
  });

  it('is reset by a message from the server as well as from the client', async () => {
    // Only the clock is fake: sockets, and the events they raise, are real.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance'] });
    const client = await connect(api.url);
    client.socket.send('{"who":"me"}');
    const { requestContext } = await api.invocation((event) => event.body === '{"who":"me"}');
    const serverSide = () => api.gateway.connections.get(requestContext.connectionId)?.socket?.readyState;

    jest.advanceTimersByTime(6_000);
    const status = await post(`${api.managementUrl}/@connections/${encodeURIComponent(requestContext.connectionId)}`, '{"from":"server"}');
    await client.next();
    jest.advanceTimersByTime(6_000);
    const afterTwelveSeconds = serverSide();
    jest.advanceTimersByTime(4_001);
    const afterTenIdleSeconds = serverSide();
    const closed = await client.closed;

    expect(status).toBe(200);
    expect([afterTwelveSeconds, afterTenIdleSeconds]).toStrictEqual([WebSocket.OPEN, WebSocket.CLOSING]);
    expect(closed).toStrictEqual({ code: 1001, reason: 'Idle timeout' });
  });
});

describe('row 7: an API without $default', () => {
  let api: TestApi;
  let releaseSlow: () => void = () => undefined;
  beforeAll(async () => {
    api = await TestApi.start(
      {
        $connect: ok,
        $disconnect: ok,
        sendmessage: async (event) => {
          const body = JSON.parse(event.body ?? '{}') as { slow?: boolean; fail?: boolean };
          if (body.fail) throw new Error('handler failed');
          if (body.slow) await new Promise<void>((resolve) => (releaseSlow = resolve));
          return ok();
        },
      },
      { integrationTimeoutMs: 200 },
    );
  });
  afterAll(async () => {
    releaseSlow();
    await api.stop();
  });

  it('answers Forbidden to a frame no route matches, and API Gateway\'s own messages to a failed or timed-out integration', async () => {
    const client = await connect(api.url);
    const answers: string[] = [];
    for (const frame of ['{"action":"nope"}', 'not json', '{"action":"sendmessage","fail":true}', '{"action":"sendmessage","slow":true}']) {
      client.socket.send(frame);
      answers.push(await client.next());
    }
    client.socket.send('{"action":"sendmessage"}');
    const routed = await api.invocation((event) => event.body === '{"action":"sendmessage"}');
    const id = routed.requestContext.connectionId;

    const shape = (message: string) => new RegExp(`^\\{"message": "${message}", "connectionId":"${id}", "requestId":"[A-Za-z0-9_-]{15}="\\}$`);
    expect(answers).toStrictEqual([
      expect.stringMatching(shape('Forbidden')),
      expect.stringMatching(shape('Forbidden')),
      expect.stringMatching(shape('Internal server error')),
      expect.stringMatching(shape('Endpoint request timed out')),
    ]);
    expect(api.routesOf(id)).toStrictEqual(['$connect', 'sendmessage', 'sendmessage', 'sendmessage']);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
  });
});
