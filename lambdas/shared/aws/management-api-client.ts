import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { keepAliveHandler } from './keep-alive-handler';

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
