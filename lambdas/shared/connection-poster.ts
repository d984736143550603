import { isServerError, isThrottlingError, isTransientError, StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorType, StandardRetryToken } from '@smithy/types';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { MANAGEMENT_API_ENV_VAR } from '../../contract/topology';
import { MAX_SOCKETS } from './aws/keep-alive-handler';
import { SigV4Signer, uriEscape, type SigningCredentials } from './aws/sign-v4';
import { requireEnv } from './config';
import type { ServerFrame } from '../../contract/protocol';

export type PostOutcome = 'sent' | 'gone';

/**
 * A PostToConnection that failed for good, shaped as the SDK's own errors are (`name` is API Gateway's error type,
 * `$metadata.httpStatusCode` its status; a network error keeps its `code` in `cause`), so the SDK's error
 * classification applies unchanged. The response body is never kept.
 */
export class PostToConnectionError extends Error {
  public readonly $metadata: { httpStatusCode?: number };
  public declare readonly cause: Error | undefined;

  public constructor(status: number | undefined, errorType: string, options?: { cause?: Error }) {
    super(status === undefined ? `PostToConnection failed: ${errorType}` : `PostToConnection answered ${status} ${errorType}`, options);
    this.name = errorType;
    this.$metadata = { httpStatusCode: status };
  }
}

export interface ConnectionPosterOptions {
  /** The stage URL, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod`. */
  endpoint: string;
  region: string;
  credentials: SigningCredentials;
  /** Attempts per post, the SDK's standard retry strategy deciding (backoff, jitter, retry quota). @default 3 */
  maxAttempts?: number;
}

/** What Lambda (and the local runtime) put in every function's environment. */
export function posterOptionsFromEnvironment(): ConnectionPosterOptions {
  return {
    endpoint: requireEnv(MANAGEMENT_API_ENV_VAR),
    region: requireEnv('AWS_REGION'),
    credentials: {
      accessKeyId: requireEnv('AWS_ACCESS_KEY_ID'),
      secretAccessKey: requireEnv('AWS_SECRET_ACCESS_KEY'),
      sessionToken: process.env.AWS_SESSION_TOKEN || undefined,
    },
  };
}

/**
 * Sends frames to WebSocket connections through API Gateway's @connections management API: the request the SDK's
 * PostToConnectionCommand sends (same path, SigV4 signature and error types), its standard retry strategy, over
 * keep-alive connections. Written out rather than sent through the SDK client because fanout makes one call per
 * member per batch, and the client's per-command stack (serializers, endpoint rules, middleware, generic signer)
 * cost more CPU than the request itself: scripts/bench-connections-api.ts measures both.
 */
export class ConnectionPoster {
  private readonly url: URL;
  /** The stage's path without a trailing slash (`/prod`), or empty for an endpoint at the root of its host. */
  private readonly basePath: string;
  private readonly signer: SigV4Signer;
  private readonly retry: StandardRetryStrategy;
  private readonly send: typeof httpRequest;
  private readonly agent: HttpAgent;

  public constructor(options: ConnectionPosterOptions = posterOptionsFromEnvironment()) {
    this.url = new URL(options.endpoint);
    this.basePath = this.url.pathname.replace(/\/+$/, '');
    this.signer = new SigV4Signer(options.credentials, options.region, 'execute-api');
    this.retry = new StandardRetryStrategy(options.maxAttempts ?? 3);
    const secure = this.url.protocol === 'https:';
    this.send = secure ? httpsRequest : httpRequest;
    this.agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }) : new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  }

  /** `frame` may be pre-serialized so a broadcast encodes once for thousands of posts. */
  public async post(connectionId: string, frame: ServerFrame | string): Promise<PostOutcome> {
    const body = Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame));
    const path = `${this.basePath}/@connections/${uriEscape(connectionId)}`;
    let token: StandardRetryToken = await this.retry.acquireInitialRetryToken(this.url.host);
    for (;;) {
      try {
        const outcome = await this.attempt(path, body);
        this.retry.recordSuccess(token);
        return outcome;
      } catch (error) {
        token = await this.retry.refreshRetryTokenForRetry(token, { errorType: retryErrorType(error as PostToConnectionError) }).catch(() => {
          throw error;
        });
        const delay = token.getRetryDelay();
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private attempt(path: string, body: Buffer): Promise<PostOutcome> {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'content-length': String(body.length) };
    Object.assign(headers, this.signer.sign({ method: 'POST', host: this.url.host, path, headers, body }));
    return new Promise((resolve, reject) => {
      const outgoing = this.send(
        { protocol: this.url.protocol, hostname: this.url.hostname, port: this.url.port, method: 'POST', path, headers, agent: this.agent },
        (response) => {
          // Drained either way, so the connection goes back to the pool; an error body is never passed on.
          response.resume();
          response.once('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve('sent');
            else if (status === 410) resolve('gone');
            else reject(new PostToConnectionError(status, errorTypeOf(response)));
          });
          response.once('error', (error) => reject(new PostToConnectionError(undefined, 'ResponseError', { cause: error })));
        },
      );
      outgoing.once('error', (error) => reject(new PostToConnectionError(undefined, (error as NodeJS.ErrnoException).code ?? 'NetworkError', { cause: error })));
      outgoing.end(body);
    });
  }
}

/** `x-amzn-errortype` may carry a `:`-separated suffix, as the SDK's parser knows. */
function errorTypeOf(response: IncomingMessage): string {
  const header = response.headers['x-amzn-errortype'];
  return (Array.isArray(header) ? header[0] : header)?.split(':')[0] ?? 'UnknownError';
}

/** The SDK retry middleware's classification: only THROTTLING and TRANSIENT are retried by its strategies. */
function retryErrorType(error: PostToConnectionError): RetryErrorType {
  if (isThrottlingError(error)) return 'THROTTLING';
  if (isTransientError(error)) return 'TRANSIENT';
  return isServerError(error) ? 'SERVER_ERROR' : 'CLIENT_ERROR';
}

/** Throttling, server-side and network failures are worth retrying later (a room's whole batch); other client errors are not. */
export function isRetryable(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status !== 'number' || status === 429 || status >= 500;
}
