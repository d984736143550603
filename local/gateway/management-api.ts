import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isWellFormedConnectionId } from './gateway-id';
import type { LiveConnection } from './live-connection';
import type { ManagementFaults } from './management-faults';
import { isLoopbackAddress, isLoopbackHost } from '../services/loopback';

export interface ManagementApiOptions {
  stage: string;
  maxPayloadBytes: number;
  latencyMs: number;
  connections: ReadonlyMap<string, LiveConnection>;
  send: (connection: LiveConnection, data: Buffer, isText: boolean) => void;
  disconnect: (connection: LiveConnection) => void;
  /** Counts what the API answered, for benchmarks. */
  stats: ManagementStats;
  faults?: ManagementFaults;
}

/** What the @connections API has done since the runtime started: benchmarks read posts per event from it. */
export interface ManagementStats {
  /** POSTs delivered to an open connection. */
  posts: number;
  /** POSTs answered 410 (unknown or closed connection). */
  gone: number;
}

/** `@` may come URL-encoded (`%40connections`): API Gateway answers both. */
const PATH = /^\/([^/]+)\/(?:@|%40)connections\/([^/?]+)\/?$/;

/** The message API Gateway puts beside each error type it answers. */
const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  InternalServerErrorException: 'Internal server error',
  LimitExceededException: 'Too Many Requests',
  ForbiddenException: 'Forbidden',
};

/** Whether the request is for the @connections management API (`/{stage}/@connections/{id}`, `@` or `%40`). */
export function isManagementRequest(url: string): boolean {
  return PATH.test(pathOf(url));
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/**
 * The `Host` header read from the raw pairs: `request.headers` builds an object of every header on first use, a
 * measurable share of each post's cost in the gateway thread (the SDK sends about ten headers).
 */
function hostHeader(request: IncomingMessage): string | undefined {
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).length === 4 && (raw[i] as string).toLowerCase() === 'host') return raw[i + 1];
  return undefined;
}

/**
 * API Gateway's @connections management API: POST sends data to a connection, GET describes it, DELETE closes it.
 * Unknown (or not yet connected) ids answer 410 GoneException and ids that cannot be connection ids 400
 * BadRequestException, as API Gateway does, so SDK clients raise the same errors. Requests are SigV4-signed by the
 * SDK; locally the signature is not checked, so only loopback may call, naming this machine as `Host` (no DNS
 * rebinding).
 */
export async function handleManagementRequest(
  request: IncomingMessage,
  response: ServerResponse,
  options: ManagementApiOptions,
): Promise<void> {
  const match = PATH.exec(pathOf(request.url ?? ''));
  if (!isLoopbackAddress(request.socket.remoteAddress) || !isLoopbackHost(hostHeader(request)) || !match || match[1] !== options.stage) {
    return reply(response, 403, 'ForbiddenException', 'Forbidden');
  }
  const connectionId = decodedId(match[2] as string);
  const method = request.method ?? 'GET';
  if (options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
  if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') return reply(response, 405, 'MethodNotAllowedException', 'Method not allowed');
  if (connectionId === undefined || !isWellFormedConnectionId(connectionId)) {
    request.resume();
    return reply(response, 400, 'BadRequestException', `Invalid connectionId: ${connectionId ?? match[2]}`);
  }
  const connection = options.connections.get(connectionId);

  if (method === 'POST') {
    const body = await readBody(request, options.maxPayloadBytes);
    if (body === undefined) return reply(response, 413, 'PayloadTooLargeException', 'Payload too large');
    if (!connection || connection.state !== 'open') {
      options.stats.gone += 1;
      return gone(response);
    }
    const fault = options.faults?.postFaultFor(connection.connectionId);
    if (fault) return reply(response, fault.status, fault.errorType, ERROR_MESSAGES[fault.errorType] ?? 'Injected fault');
    options.stats.posts += 1;
    options.send(connection, body, isUtf8(body));
    response.writeHead(200).end();
    return;
  }
  if (!connection || connection.state !== 'open') return gone(response);
  if (method === 'GET') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        connectedAt: new Date(connection.connectedAt).toISOString(),
        identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
        lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
      }),
    );
    return;
  }
  options.disconnect(connection);
  response.writeHead(204).end();
}

function decodedId(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function gone(response: ServerResponse): void {
  reply(response, 410, 'GoneException', null);
}

function reply(response: ServerResponse, status: number, errorType: string, message: string | null): void {
  response
    .writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': errorType })
    .end(JSON.stringify({ message }));
}

/** The body, or undefined past `limit`. Plain events: an async iterator per request costs more than the post itself. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else resolve(undefined);
    });
    request.on('end', () => resolve(size > limit ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    request.on('error', reject);
  });
}
