import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { keepAliveHandler } from './keep-alive-handler';

const bedrockClients = new Map<string, BedrockRuntimeClient>();

/**
 * Bedrock Runtime, one client per region, with no SDK retries: the callers own retrying. The inference chain must
 * fall over to the next target instead of spending its first-token budget on the SDK's backoff (and a started event
 * stream cannot be retried anyway); the embedder retries throttling with its own backoff, so retries do not multiply.
 * ConverseStream streams fine over HTTP/1.1.
 */
export function bedrockRuntime(region?: string): BedrockRuntimeClient {
  const key = region ?? '';
  let client = bedrockClients.get(key);
  if (!client) {
    client = new BedrockRuntimeClient({
      ...(region === undefined ? {} : { region }),
      maxAttempts: 1,
      requestHandler: keepAliveHandler(),
    });
    bedrockClients.set(key, client);
  }
  return client;
}
