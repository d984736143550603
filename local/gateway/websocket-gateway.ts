import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { newGatewayId } from './gateway-id';
import { FrameBacklog } from './frame-backlog';
import { FrameSizeGuard } from './frame-size-guard';
import { CLOSE_CODES, type GatewayLimits } from './limits';
import type { LiveConnection } from './live-connection';
import { handleManagementRequest, type ManagementStats } from './management-api';
import { ManagementFaults } from './management-faults';
import { selectRoute } from './route-selection';
import { connectEvent, connectHeaderPairs, disconnectEvent, gatewayErrorFrame, messageEvent, type GatewayErrorMessage } from './websocket-events';

export interface WebSocketGatewayOptions<Route extends string = string> {
  stage: string;
  /** The API's route keys. Without `$default`, a frame that matches no route is answered `Forbidden`. */
  routes: readonly Route[];
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
  invoke: (route: Route, event: unknown, connectionId: string) => Promise<unknown>;
  limits: GatewayLimits;
  log: (line: string) => void;
  /** Added to every @connections call, to mimic the round trip to API Gateway in benchmarks. @default 0 */
  managementLatencyMs?: number;
}

/** Frames of one connection routed at once; the rest wait in its FrameBacklog. */
const MAX_FRAMES_IN_FLIGHT = 8;

/** The integration did not answer within API Gateway's integration timeout. */
class IntegrationTimeout extends Error {}

/** What a client's messages may still do: those from `acceptBelow` on are never routed (the gateway is closing it). */
interface Inbound {
  received: number;
  acceptBelow: number;
}

/**
 * A local API Gateway WebSocket API: same events, same route selection, a `$connect` that can refuse the handshake
 * with a status code or choose a subprotocol, the @connections management API, and API Gateway's frame, message, idle
 * and duration limits.
 */
export class WebSocketGateway<Route extends string = string> {
  public readonly connections = new Map<string, LiveConnection>();
  public readonly stats: ManagementStats = { posts: 0, gone: 0 };
  /** Failures to answer on @connections, for tests. */
  public readonly faults = new ManagementFaults();
  private readonly server: WebSocketServer;
  private readonly disconnects = new Set<Promise<unknown>>();
  /** The subprotocol each pending handshake's `$connect` chose. */
  private readonly chosenProtocols = new WeakMap<IncomingMessage, string>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private closing = false;

  public constructor(private readonly options: WebSocketGatewayOptions<Route>) {
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: options.limits.messageBytes,
      perMessageDeflate: false,
      // API Gateway answers with the subprotocol the $connect integration put in its Sec-WebSocket-Protocol header, and
      // none when it put none (a client that asked for one then fails the handshake, as browsers and ws do).
      handleProtocols: (_offered, request) => this.chosenProtocols.get(request) ?? false,
    });
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
    if (!this.isWebSocketPath(request.url)) return refuse(socket, 404);
    if (this.closing) return refuse(socket, 503);
    const connection = newLiveConnection(request, this.options.domainName);
    this.connections.set(connection.connectionId, connection);
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    let status = 200;
    const connectRoute = this.route('$connect');
    if (connectRoute) {
      try {
        const headers = connectHeaderPairs(request.rawHeaders, {
          sourceIp: connection.sourceIp,
          port: request.socket.localPort ?? 0,
          now: connection.connectedAt,
        });
        const result = (await this.invoke(connectRoute, connectEvent(connection, this.options.stage, query, headers), connection.connectionId)) as
          | { statusCode?: number; headers?: Record<string, unknown> }
          | undefined;
        status = result?.statusCode ?? 200;
        const protocol = headerValue(result?.headers, 'sec-websocket-protocol');
        if (protocol !== undefined) this.chosenProtocols.set(request, protocol);
      } catch (error) {
        this.options.log(`[gateway] $connect failed: ${(error as Error).message}`);
        status = error instanceof IntegrationTimeout ? 504 : 500;
      }
    }
    if (status < 200 || status > 299) {
      this.connections.delete(connection.connectionId);
      // API Gateway has no route response for $connect: the client gets the status code and nothing else.
      return refuse(socket, status);
    }
    if (socket.destroyed) {
      // The client gave up during $connect: API Gateway still reports the disconnect.
      connection.state = 'open';
      this.onClose(connection, CLOSE_CODES.goingAway, 'Client went away during $connect');
      return;
    }
    const inbound: Inbound = { received: 0, acceptBelow: Infinity };
    const guard = new FrameSizeGuard(this.options.limits.frameBytes, (_payloadBytes, messagesBefore) => {
      // The oversized frame, and whatever follows it, is never routed: only the messages complete before it are.
      inbound.acceptBelow = Math.min(inbound.acceptBelow, messagesBefore);
      connection.socket?.close(CLOSE_CODES.messageTooBig, 'Frame too big');
    });
    // ws puts `head` back into the socket, so this listener (added before ws's) sees it with the rest.
    socket.on('data', (chunk: Buffer) => guard.push(chunk));
    this.server.handleUpgrade(request, socket, head, (webSocket) => this.onOpen(connection, webSocket, inbound));
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

  private onOpen(connection: LiveConnection, socket: WebSocket, inbound: Inbound): void {
    connection.socket = socket;
    connection.state = 'open';
    const { limits } = this.options;
    const lifetime = setTimeout(() => socket.close(CLOSE_CODES.goingAway, 'Connection duration limit reached'), limits.maxConnectionMs);
    // Traffic in either direction resets it (see send()).
    const idle = setTimeout(() => socket.close(CLOSE_CODES.goingAway, 'Idle timeout'), limits.idleTimeoutMs);
    this.idleTimers.set(connection.connectionId, idle);
    const backlog = new FrameBacklog(MAX_FRAMES_IN_FLIGHT, (body, receivedAt) => this.onMessage(connection, body, receivedAt), socket);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const index = inbound.received++;
      if (index >= inbound.acceptBelow) return;
      const receivedAt = Date.now();
      connection.lastActiveAt = receivedAt;
      idle.refresh();
      if (isBinary) {
        // No binary media types: API Gateway refuses binary frames by closing the connection.
        inbound.acceptBelow = index;
        socket.close(CLOSE_CODES.unsupportedData, 'Binary frames are not supported');
        return;
      }
      backlog.push(data.toString('utf8'), receivedAt);
    });
    socket.on('close', (code: number, reason: Buffer) => {
      clearTimeout(lifetime);
      clearTimeout(idle);
      this.idleTimers.delete(connection.connectionId);
      this.onClose(connection, code, reason.toString());
    });
    socket.on('error', (error) => this.options.log(`[gateway] ${connection.connectionId}: ${error.message}`));
    idle.unref();
    lifetime.unref();
  }

  /** Routes one frame; settles (never rejects) when its invocation is over. */
  private async onMessage(connection: LiveConnection, body: string, receivedAt: number): Promise<void> {
    if (this.closing) return;
    const route = selectRoute(body, this.options.routes, this.options.routeSelectionExpression);
    const event = messageEvent(connection, this.options.stage, route ?? '$default', body, receivedAt);
    const requestId = (event.requestContext as { requestId: string }).requestId;
    const answer = (message: GatewayErrorMessage) => this.send(connection, Buffer.from(gatewayErrorFrame(message, connection.connectionId, requestId)), true);
    if (route === undefined) return answer('Forbidden');
    try {
      await this.invoke(route, event, connection.connectionId);
    } catch (error) {
      this.options.log(`[gateway] ${route} failed: ${(error as Error).message}`);
      answer(error instanceof IntegrationTimeout ? 'Endpoint request timed out' : 'Internal server error');
    }
  }

  private onClose(connection: LiveConnection, code: number, reason: string): void {
    if (!this.connections.delete(connection.connectionId)) return;
    const disconnectRoute = this.route('$disconnect');
    if (!disconnectRoute) return;
    const disconnect = this
      .invoke(disconnectRoute, disconnectEvent(connection, this.options.stage, code, reason), connection.connectionId)
      .catch((error: unknown) => this.options.log(`[gateway] $disconnect failed: ${(error as Error).message}`));
    this.disconnects.add(disconnect);
    void disconnect.finally(() => this.disconnects.delete(disconnect));
  }

  private route(key: string): Route | undefined {
    return this.options.routes.find((route) => route === key);
  }

  /** Invokes a route's integration; like API Gateway, gives up after the integration timeout (29 s). */
  private invoke(route: Route, event: unknown, connectionId: string): Promise<unknown> {
    const { integrationTimeoutMs } = this.options.limits;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new IntegrationTimeout(`Integration timed out after ${integrationTimeoutMs} ms`)), integrationTimeoutMs);
    });
    return Promise.race([this.options.invoke(route, event, connectionId), timeout]).finally(() => clearTimeout(timer));
  }

  /** Sends like API Gateway: data over 32 KB goes out as several frames of at most 32 KB. */
  private send(connection: LiveConnection, data: Buffer, isText: boolean): void {
    const socket = connection.socket;
    if (!socket) return;
    connection.lastActiveAt = Date.now();
    this.idleTimers.get(connection.connectionId)?.refresh();
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
  return {
    connectionId: newGatewayId(),
    state: 'connecting',
    socket: undefined,
    connectedAt: now,
    lastActiveAt: now,
    sourceIp: (request.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
    userAgent: request.headers['user-agent'] ?? '',
    domainName: domainName ?? request.headers.host ?? 'localhost',
  };
}

/** A header of an integration's response, by name in any case. */
function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

function refuse(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}
