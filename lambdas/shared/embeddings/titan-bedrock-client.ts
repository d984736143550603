import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

const MAX_SOCKETS = 32;
const clients = new Map<string, BedrockRuntimeClient>();

/**
 * One Bedrock Runtime client per region for embeddings, created once; the endpoint comes from
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME when set. HTTP/1.1 with keep-alive (the default HTTP/2 handler fails against a
 * plain http:// endpoint), and no SDK retries: the embedder retries throttling itself, with its own backoff, so that
 * retries are not multiplied.
 */
export function embeddingsBedrockClient(region?: string): BedrockRuntimeClient {
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
