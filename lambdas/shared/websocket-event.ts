import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';

/**
 * API Gateway's WebSocket proxy event; `$connect` also carries the handshake's headers and query string, and every
 * event the client's address (`requestContext.identity.sourceIp`), which @types/aws-lambda leaves out.
 */
export type WebSocketEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: { identity?: { sourceIp?: string } };
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
};

export interface WebSocketResult {
  statusCode: number;
  body?: string;
}

/** Header lookup ignoring case, as HTTP requires. */
export function headerOf(event: WebSocketEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return entry?.[1];
}
