import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { keepAliveHandler } from './keep-alive-handler';

const bedrockClients = new Map<string, BedrockRuntimeClient>();

/**
 * Bedrock Runtime for answers, one client per region, with no SDK retries: the inference chain owns retrying. It must
 * fall over to the next target instead of spending its first-token budget on the SDK's backoff (and a started event
 * stream cannot be retried anyway). ConverseStream streams fine over HTTP/1.1.
 */
export function bedrockRuntime(region?: string): BedrockRuntimeClient {
  return cachedBedrockClient(region, 1);
}

/**
 * Bedrock Runtime for embeddings, one client per region, retried by the SDK's standard retry strategy: throttling,
 * 5xx, timeouts, dropped connections and retryable exceptions (ModelNotReadyException), with exponential backoff
 * and full jitter, within the client's retry quota. `maxAttempts` counts the first call.
 */
export function bedrockEmbeddingsRuntime(region: string | undefined, maxAttempts: number): BedrockRuntimeClient {
  return cachedBedrockClient(region, maxAttempts);
}

function cachedBedrockClient(region: string | undefined, maxAttempts: number): BedrockRuntimeClient {
  const key = `${region ?? ''}/${maxAttempts}`;
  let client = bedrockClients.get(key);
  if (!client) {
    client = new BedrockRuntimeClient({
      ...(region === undefined ? {} : { region }),
      retryMode: 'standard',
      maxAttempts,
      requestHandler: keepAliveHandler(),
    });
    bedrockClients.set(key, client);
  }
  return client;
}
