import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { newGatewayId } from './gateway-id';
import { FrameSizeGuard } from './frame-size-guard';
import { CLOSE_CODES, type GatewayLimits } from './limits';
import type { LiveConnection } from './live-connection';
import { handleManagementRequest, type ManagementStats } from './management-api';
import { ManagementFaults } from './management-faults';
import { selectRoute } from './route-selection';
import { connectEvent, disconnectEvent, groupValues, messageEvent } from './websocket-events';

export interface WebSocketGatewayOptions {
  stage: string;
  /** Route keys (`$connect`, `$disconnect`, `$default` and those the route selection expression names). */
  routes: readonly string[];
  /** `$request.body.<path>`. @default '$request.body.action' */
  routeSelectionExpression?: string;
  /**
   * What events give as `requestContext.domainName` (`https://{domainName}/{stage}` is the @connections API).
   * @default the Host header of the handshake
   */
  domainName?: string;
  /**
   * Invokes the integration of a route with an API Gateway proxy event for a connection; resolves with the function's
   * response.
   */
  invoke: (route: string, event: unknown, connectionId: string) => Promise<unknown>;
  limits: GatewayLimits;
  log: (line: string) => void;
  /** Added to every @connections call, to mimic the round trip to API Gateway in benchmarks. @default 0 */
  managementLatencyMs?: number;
}

/**
 * A local API Gateway WebSocket API: same events, same route selection, a `$connect` that can refuse the handshake
 * with a status code, the @connections management API, and API Gateway's frame, message, idle and duration limits.
 */
export class WebSocketGateway {
  public readonly connections = new Map<string, LiveConnection>();
  public readonly stats: ManagementStats = { posts: 0, gone: 0 };
  /** Failures to answer on @connections, for tests. */
  public readonly faults = new ManagementFaults();
  private readonly server: WebSocketServer;
  private readonly disconnects = new Set<Promise<unknown>>();
  private closing = false;

  public constructor(private readonly options: WebSocketGatewayOptions) {
    this.server = new WebSocketServer({ noServer: true, maxPayload: options.limits.messageBytes, perMessageDeflate: false });
  }

  /** Accepts `/` and `/{stage}` like API Gateway's stage URL. */
  public isWebSocketPath(url: string | undefined): boolean {
    const path = (url ?? '/').split('?')[0];
    return path === '/' || path === `/${this.options.stage}` || path === `/${this.options.stage}/`;
  }

  public handleManagement(request: IncomingMessage, response: ServerResponse): Promise<void> {
    return handleManagementRequest(request, response, {
      stage: this.options.stage,
      maxPayloadBytes: this.options.limits.messageBytes,
      connections: this.connections,
      latencyMs: this.options.managementLatencyMs ?? 0,
      send: (connection, data, isText) => this.send(connection, data, isText),
      disconnect: (connection) => connection.socket?.close(CLOSE_CODES.normal, 'Closed by the server'),
      stats: this.stats,
      faults: this.faults,
    });
  }

  public async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', (error) => this.options.log(`[gateway] handshake socket: ${error.message}`));
    if (!this.isWebSocketPath(request.url)) return refuse(socket, 404, '');
    if (this.closing) return refuse(socket, 503, JSON.stringify({ message: 'Service unavailable' }));
    const connection = newLiveConnection(request, this.options.domainName);
    this.connections.set(connection.connectionId, connection);
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    let status: number;
    let body = '';
    try {
      const event = connectEvent(connection, this.options.stage, query, multiValueHeaders(request));
      const result = (await this.invoke('$connect', event, connection.connectionId)) as
        | { statusCode?: number; body?: string }
        | undefined;
      status = result?.statusCode ?? 200;
      body = result?.body ?? '';
    } catch (error) {
      this.options.log(`[gateway] $connect failed: ${(error as Error).message}`);
      status = 500;
      body = JSON.stringify({ message: 'Internal server error' });
    }
    if (status < 200 || status > 299) {
      this.connections.delete(connection.connectionId);
      return refuse(socket, status, body);
    }
    if (socket.destroyed) {
      // The client gave up during $connect: API Gateway still reports the disconnect.
      connection.state = 'open';
      this.onClose(connection, CLOSE_CODES.goingAway, 'Client went away during $connect');
      return;
    }
    const guard = new FrameSizeGuard(this.options.limits.frameBytes, () => connection.socket?.close(CLOSE_CODES.messageTooBig, 'Frame too big'));
    guard.push(head);
    socket.on('data', (chunk: Buffer) => guard.push(chunk));
    this.server.handleUpgrade(request, socket, head, (webSocket) => this.onOpen(connection, webSocket));
  }

  /** Closes every connection (each gets its $disconnect) and waits for those invocations. */
  public async close(): Promise<void> {
    this.closing = true;
    for (const connection of this.connections.values()) connection.socket?.close(CLOSE_CODES.goingAway, 'Server shutting down');
    const deadline = Date.now() + 2000;
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const connection of this.connections.values()) connection.socket?.terminate();
    await Promise.allSettled([...this.disconnects]);
    this.server.close();
  }

  private onOpen(connection: LiveConnection, socket: WebSocket): void {
    connection.socket = socket;
    connection.state = 'open';
    const { limits } = this.options;
    const lifetime = setTimeout(() => socket.close(CLOSE_CODES.goingAway, 'Connection duration limit reached'), limits.maxConnectionMs);
    let idle = setTimeout(() => socket.close(CLOSE_CODES.goingAway, 'Idle timeout'), limits.idleTimeoutMs);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      connection.lastActiveAt = Date.now();
      idle.refresh();
      this.onMessage(connection, data, isBinary);
    });
    socket.on('close', (code: number, reason: Buffer) => {
      clearTimeout(lifetime);
      clearTimeout(idle);
      this.onClose(connection, code, reason.toString());
    });
    socket.on('error', (error) => this.options.log(`[gateway] ${connection.connectionId}: ${error.message}`));
    idle = idle.unref();
    lifetime.unref();
  }

  private onMessage(connection: LiveConnection, data: Buffer, isBinary: boolean): void {
    const body = isBinary ? data.toString('base64') : data.toString('utf8');
    const route = selectRoute(isBinary ? undefined : body, this.options.routes, this.options.routeSelectionExpression);
    const event = messageEvent(connection, this.options.stage, route, body, isBinary);
    this.invoke(route, event, connection.connectionId).catch((error: unknown) => {
      this.options.log(`[gateway] ${route} failed: ${(error as Error).message}`);
      // What API Gateway sends a client when the integration fails.
      const requestId = (event.requestContext as { requestId: string }).requestId;
      this.send(connection, Buffer.from(JSON.stringify({ message: 'Internal server error', connectionId: connection.connectionId, requestId })), true);
    });
  }

  private onClose(connection: LiveConnection, code: number, reason: string): void {
    if (!this.connections.delete(connection.connectionId)) return;
    const disconnect = this
      .invoke('$disconnect', disconnectEvent(connection, this.options.stage, code, reason), connection.connectionId)
      .catch((error: unknown) => this.options.log(`[gateway] $disconnect failed: ${(error as Error).message}`));
    this.disconnects.add(disconnect);
    void disconnect.finally(() => this.disconnects.delete(disconnect));
  }

  /** Invokes a route's integration; like API Gateway, gives up after the integration timeout (29 s). */
  private invoke(route: string, event: unknown, connectionId: string): Promise<unknown> {
    const { integrationTimeoutMs } = this.options.limits;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Integration timed out after ${integrationTimeoutMs} ms`)), integrationTimeoutMs);
    });
    return Promise.race([this.options.invoke(route, event, connectionId), timeout]).finally(() => clearTimeout(timer));
  }

  /** Sends like API Gateway: data over 32 KB goes out as several frames of at most 32 KB. */
  private send(connection: LiveConnection, data: Buffer, isText: boolean): void {
    const socket = connection.socket;
    if (!socket) return;
    const frameBytes = this.options.limits.frameBytes;
    if (data.length <= frameBytes) {
      socket.send(data, { binary: !isText });
      return;
    }
    for (let offset = 0; offset < data.length; offset += frameBytes) {
      socket.send(data.subarray(offset, offset + frameBytes), { binary: !isText, fin: offset + frameBytes >= data.length });
    }
  }
}

function newLiveConnection(request: IncomingMessage, domainName: string | undefined): LiveConnection {
  const now = Date.now();
  // The last value of each header, as own properties even for names like `__proto__`.
  const headers = Object.fromEntries(headerPairs(request));
  return {
    connectionId: newGatewayId(),
    state: 'connecting',
    socket: undefined,
    connectedAt: now,
    lastActiveAt: now,
    sourceIp: (request.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
    userAgent: request.headers['user-agent'] ?? '',
    domainName: domainName ?? request.headers.host ?? 'localhost',
    headers,
  };
}

function multiValueHeaders(request: IncomingMessage): Record<string, string[]> {
  return groupValues(headerPairs(request));
}

function headerPairs(request: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) pairs.push([request.rawHeaders[i] as string, request.rawHeaders[i + 1] as string]);
  return pairs;
}

function refuse(socket: Duplex, status: number, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
