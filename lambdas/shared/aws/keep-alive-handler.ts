import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * The request handler of every SDK client. One module per client (beside this one) so that each function bundles
 * only the clients it uses. Endpoints come from the standard AWS_ENDPOINT_URL_* variables, so the same code talks to
 * AWS or to the local runtime.
 */

export const MAX_SOCKETS = 64;

// Kinesis would otherwise pick an HTTP/2 handler; PutRecord needs none, and HTTP/1.1 also reaches a plain http endpoint.
export function keepAliveHandler(): NodeHttpHandler {
  return new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  });
}
