import { randomBytes } from 'node:crypto';
import type { LiveConnection } from './live-connection';
import { newGatewayId } from './gateway-id';

/** Events in the exact shape API Gateway gives a Lambda proxy integration of a WebSocket API. */

export type HeaderPair = readonly [name: string, value: string];

/**
 * The `$connect` headers as API Gateway passes them on: the client's own (names as sent), without the hop-by-hop
 * `Connection` and `Upgrade` it consumed, plus what its front end adds: `X-Amzn-Trace-Id` and the
 * `X-Forwarded-For/Port/Proto` of the client's connection (locally plain `http`, where AWS only speaks `https`).
 */
export function connectHeaderPairs(rawHeaders: readonly string[], client: { sourceIp: string; port: number; now: number }): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  const forwardedFor: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    const lower = name.toLowerCase();
    if (lower === 'connection' || lower === 'upgrade' || lower.startsWith('x-forwarded-') || lower === 'x-amzn-trace-id') {
      // A client's own X-Forwarded-For is kept in front of its address, as a proxy appends to it.
      if (lower === 'x-forwarded-for') forwardedFor.push(value);
      continue;
    }
    pairs.push([name, value]);
  }
  const epochSeconds = Math.floor(client.now / 1000).toString(16).padStart(8, '0');
  pairs.push(
    ['X-Amzn-Trace-Id', `Root=1-${epochSeconds}-${randomBytes(12).toString('hex')}`],
    ['X-Forwarded-For', [...forwardedFor, client.sourceIp].join(', ')],
    ['X-Forwarded-Port', String(client.port)],
    ['X-Forwarded-Proto', 'http'],
  );
  return pairs;
}

export function connectEvent(
  connection: LiveConnection,
  stage: string,
  query: URLSearchParams,
  headers: readonly HeaderPair[],
): Record<string, unknown> {
  const queryStringParameters = Object.fromEntries(query);
  const multiValueQueryStringParameters = groupValues(query);
  const hasQuery = Object.keys(queryStringParameters).length > 0;
  return {
    // The last value of each header, as own properties even for names like `__proto__`.
    headers: Object.fromEntries(headers),
    multiValueHeaders: groupValues(headers),
    ...(hasQuery ? { queryStringParameters, multiValueQueryStringParameters } : {}),
    requestContext: requestContext(connection, stage, '$connect', 'CONNECT'),
    isBase64Encoded: false,
  };
}

/** `receivedAt`: when the gateway read the frame (its `requestTimeEpoch`). */
export function messageEvent(connection: LiveConnection, stage: string, routeKey: string, body: string, receivedAt = Date.now()): Record<string, unknown> {
  return {
    requestContext: { ...requestContext(connection, stage, routeKey, 'MESSAGE', receivedAt), messageId: newGatewayId() },
    body,
    isBase64Encoded: false,
  };
}

/**
 * `$disconnect` carries none of the handshake's headers (no Cookie, no Authorization): only these four, with empty
 * values but `Host`, as API Gateway sends them.
 */
export function disconnectEvent(
  connection: LiveConnection,
  stage: string,
  statusCode: number,
  reason: string,
): Record<string, unknown> {
  const headers: HeaderPair[] = [
    ['Host', connection.domainName],
    ['x-api-key', ''],
    ['X-Forwarded-For', ''],
    ['x-restapi', ''],
  ];
  return {
    headers: Object.fromEntries(headers),
    multiValueHeaders: groupValues(headers),
    requestContext: {
      ...requestContext(connection, stage, '$disconnect', 'DISCONNECT'),
      disconnectStatusCode: statusCode,
      disconnectReason: reason,
    },
    isBase64Encoded: false,
  };
}

function requestContext(
  connection: LiveConnection,
  stage: string,
  routeKey: string,
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT',
  now = Date.now(),
): Record<string, unknown> {
  // API Gateway gives a WebSocket request one id, as both requestId and extendedRequestId.
  const requestId = newGatewayId();
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: formatRequestTime(new Date(now)),
    messageDirection: 'IN',
    stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: now,
    identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    requestId,
    domainName: connection.domainName,
    connectionId: connection.connectionId,
    apiId: 'local',
  };
}

/**
 * Pairs grouped by key, as own properties (the shape JSON.parse gives a handler in AWS): a key such as `__proto__` or
 * `constructor` is data, never a property an object inherits.
 */
export function groupValues(pairs: Iterable<readonly [string, string]>): Record<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return Object.fromEntries(groups);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestTime`, e.g. `22/Nov/2026:02:22:01 +0000`. */
function formatRequestTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/**
 * What API Gateway itself sends a client whose frame it could not route or whose integration failed or timed out,
 * byte for byte (its odd spacing included).
 */
export type GatewayErrorMessage = 'Forbidden' | 'Internal server error' | 'Endpoint request timed out';

export function gatewayErrorFrame(message: GatewayErrorMessage, connectionId: string, requestId: string): string {
  return `{"message": "${message}", "connectionId":"${connectionId}", "requestId":"${requestId}"}`;
}
