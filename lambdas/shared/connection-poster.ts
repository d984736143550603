import { PostToConnectionCommand, type ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { MANAGEMENT_API_ENV_VAR } from '../../contract/topology';
import { managementApi } from './aws/management-api-client';
import { requireEnv } from './config';
import type { ServerFrame } from '../../contract/protocol';

export type PostOutcome = 'sent' | 'gone';

/** Sends frames to WebSocket connections through API Gateway's @connections management API. */
export class ConnectionPoster {
  public constructor(
    private readonly client: ApiGatewayManagementApiClient = managementApi(requireEnv(MANAGEMENT_API_ENV_VAR)),
  ) {}

  /** `frame` may be pre-serialized so a broadcast encodes once for thousands of posts. */
  public async post(connectionId: string, frame: ServerFrame | string): Promise<PostOutcome> {
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    try {
      await this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(data) }));
      return 'sent';
    } catch (error) {
      if (isGone(error)) return 'gone';
      throw error;
    }
  }
}

/** 410 GoneException: that connection no longer exists. */
export function isGone(error: unknown): boolean {
  const candidate = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  return candidate?.name === 'GoneException' || candidate?.$metadata?.httpStatusCode === 410;
}

/** Throttling and server-side failures are worth retrying; other client errors are not. */
export function isRetryable(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status !== 'number' || status === 429 || status >= 500;
}
