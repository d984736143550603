import { randomUUID } from 'node:crypto';
import type { LiveConnection } from './live-connection';
import { newGatewayId } from './gateway-id';

/** Events in the exact shape API Gateway gives a Lambda proxy integration of a WebSocket API. */

export function connectEvent(
  connection: LiveConnection,
  stage: string,
  query: URLSearchParams,
  multiValueHeaders: Record<string, string[]>,
): Record<string, unknown> {
  const queryStringParameters = Object.fromEntries(query);
  const multiValueQueryStringParameters = groupValues(query);
  const hasQuery = Object.keys(queryStringParameters).length > 0;
  return {
    headers: connection.headers,
    multiValueHeaders,
    ...(hasQuery ? { queryStringParameters, multiValueQueryStringParameters } : {}),
    requestContext: requestContext(connection, stage, '$connect', 'CONNECT'),
    isBase64Encoded: false,
  };
}

export function messageEvent(
  connection: LiveConnection,
  stage: string,
  routeKey: string,
  body: string,
  isBase64Encoded: boolean,
): Record<string, unknown> {
  return {
    requestContext: { ...requestContext(connection, stage, routeKey, 'MESSAGE'), messageId: newGatewayId() },
    body,
    isBase64Encoded,
  };
}

export function disconnectEvent(
  connection: LiveConnection,
  stage: string,
  statusCode: number,
  reason: string,
): Record<string, unknown> {
  return {
    headers: connection.headers,
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
): Record<string, unknown> {
  const now = Date.now();
  return {
    routeKey,
    eventType,
    extendedRequestId: newGatewayId(),
    requestTime: formatRequestTime(new Date(now)),
    messageDirection: 'IN',
    stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: now,
    identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    requestId: randomUUID(),
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
