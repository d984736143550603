import type { Context } from 'aws-lambda';
import { readSettings } from '../../contract/read-settings';
import { FUNCTIONS } from '../../contract/topology';
import { ConnectionsStore } from '../shared/connections-store';
import { EventBus } from '../shared/event-bus';
import { logger } from '../shared/logger';
import { NameClaims } from '../shared/name-claims';
import type { WebSocketEvent, WebSocketResult } from '../shared/websocket-event';
import { onConnect } from './on-connect';
import { onDisconnect } from './on-disconnect';

const settings = readSettings(process.env, FUNCTIONS.connect.settings);
const deps = {
  connections: new ConnectionsStore(),
  names: new NameClaims(),
  bus: new EventBus(),
  allowedOrigins: settings.allowedOrigins,
  botName: settings.botName,
};

export async function handler(event: WebSocketEvent, context: Context): Promise<WebSocketResult> {
  logger.addContext(context);
  logger.appendKeys({ connectionId: event.requestContext.connectionId });
  switch (event.requestContext.routeKey) {
    case '$connect':
      return onConnect(event, deps);
    case '$disconnect':
      return onDisconnect(event, deps);
    default:
      logger.error('Route not handled by this function', { routeKey: event.requestContext.routeKey });
      return { statusCode: 400 };
  }
}
