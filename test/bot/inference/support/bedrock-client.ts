import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** The real Bedrock Runtime client, pointed at a local fake with dummy credentials and HTTP/1.1, no SDK retries unless `maxAttempts` says. */
export function fakeBedrockClient(url: string, maxAttempts = 1): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts,
  });
}
