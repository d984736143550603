import type { Context } from 'aws-lambda';
import { FUNCTIONS, readSettings } from '../../contract';
import { ConnectionPoster } from '../shared/connection-poster';
import { ConnectionsStore } from '../shared/connections-store';
import { EventBus } from '../shared/event-bus';
import { HistoryStore } from '../shared/history-store';
import { logger } from '../shared/logger';
import type { WebSocketEvent, WebSocketResult } from '../shared/websocket-event';
import { handleFrame } from './handle-frame';

// Fails at start on an invalid setting, like every function (its only one, logLevel, is the logger's).
readSettings(process.env, FUNCTIONS.message.settings);

const deps = {
  connections: new ConnectionsStore(),
  history: new HistoryStore(),
  bus: new EventBus(),
  poster: new ConnectionPoster(),
};

/** Every client action route (join, sendMessage, typing, history) and $default for frames that match none. */
export async function handler(event: WebSocketEvent, context: Context): Promise<WebSocketResult> {
  logger.addContext(context);
  logger.appendKeys({ connectionId: event.requestContext.connectionId });
  await handleFrame(event.requestContext.connectionId, event.body, event.isBase64Encoded, deps);
  return { statusCode: 200 };
}
