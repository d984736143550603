import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

const MAX_SOCKETS = 64;
const clients = new Map<string, BedrockRuntimeClient>();

/**
 * One Bedrock Runtime client per region for the life of the Lambda instance; the endpoint comes from
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME when set, so the same code talks to a local fake.
 *
 * - HTTP/1.1 with keep-alive: the client would otherwise pick an HTTP/2 handler, which fails against a plain http://
 *   endpoint; ConverseStream streams fine over HTTP/1.1 chunked encoding.
 * - `maxAttempts: 1`: the fallback chain owns retries. The SDK would retry a throttled ConverseStream on the same
 *   target for up to three attempts with its own backoff, silently eating the first-token budget that should let the
 *   chain fall over to the next target; and it cannot retry once the event stream has started anyway.
 */
export function bedrockRuntimeClient(region?: string): BedrockRuntimeClient {
  const key = region ?? '';
  let client = clients.get(key);
  if (!client) {
    client = new BedrockRuntimeClient({
      ...(region === undefined ? {} : { region }),
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
      }),
    });
    clients.set(key, client);
  }
  return client;
}
