import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * SDK clients, each created once per Lambda instance. Endpoints come from the standard AWS_ENDPOINT_URL_* variables,
 * so the same code talks to AWS or to the local runtime.
 */

const MAX_SOCKETS = 64;

// Kinesis would otherwise pick an HTTP/2 handler; PutRecord needs none, and HTTP/1.1 also reaches a plain http endpoint.
function keepAliveHandler(): NodeHttpHandler {
  return new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  });
}

let documentClient: DynamoDBDocumentClient | undefined;
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: keepAliveHandler() }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

let kinesisClient: KinesisClient | undefined;
export function kinesis(): KinesisClient {
  kinesisClient ??= new KinesisClient({ requestHandler: keepAliveHandler() });
  return kinesisClient;
}

const managementClients = new Map<string, ApiGatewayManagementApiClient>();
/** `endpoint` is the stage URL, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod`. */
export function managementApi(endpoint: string): ApiGatewayManagementApiClient {
  let client = managementClients.get(endpoint);
  if (!client) {
    // Fanout sends thousands of identical commands per batch: resolving the middleware stack once per command class
    // (a documented client option) instead of once per post is a large share of each post's CPU time.
    client = new ApiGatewayManagementApiClient({ endpoint, requestHandler: keepAliveHandler(), cacheMiddleware: true });
    managementClients.set(endpoint, client);
  }
  return client;
}

const bedrockClients = new Map<string, BedrockRuntimeClient>();
/**
 * Bedrock Runtime for answers, one client per region, with no SDK retries: the inference chain owns retrying. It must
 * fall over to the next target instead of spending its first-token budget on the SDK's backoff (and a started event
 * stream cannot be retried anyway). ConverseStream streams fine over HTTP/1.1.
 */
export function bedrockRuntime(region?: string): BedrockRuntimeClient {
  return cachedBedrockClient(bedrockClients, region, 1);
}

/**
 * Bedrock Runtime for embeddings, one client per region, retried by the SDK's standard retry strategy: throttling,
 * 5xx, timeouts, dropped connections and retryable exceptions (ModelNotReadyException), with exponential backoff
 * and full jitter, within the client's retry quota. `maxAttempts` counts the first call.
 */
export function bedrockEmbeddingsRuntime(region: string | undefined, maxAttempts: number): BedrockRuntimeClient {
  return cachedBedrockClient(bedrockClients, region, maxAttempts);
}

function cachedBedrockClient(cache: Map<string, BedrockRuntimeClient>, region: string | undefined, maxAttempts: number): BedrockRuntimeClient {
  const key = `${region ?? ''}/${maxAttempts}`;
  let client = cache.get(key);
  if (!client) {
    client = new BedrockRuntimeClient({
      ...(region === undefined ? {} : { region }),
      retryMode: 'standard',
      maxAttempts,
      requestHandler: keepAliveHandler(),
    });
    cache.set(key, client);
  }
  return client;
}
