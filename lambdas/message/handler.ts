import type { Context } from 'aws-lambda';
import { readSettings } from '../../contract/read-settings';
import { FUNCTIONS, TABLES } from '../../contract/topology';
import { AnswerRequests } from '../shared/answer-requests';
import { dynamoDocumentClient } from '../shared/aws/dynamo-document-client';
import { requireEnv } from '../shared/config';
import { ConnectionPoster } from '../shared/connection-poster';
import { ConnectionsStore } from '../shared/connections-store';
import { EventBus } from '../shared/event-bus';
import { HistoryStore } from '../shared/history-store';
import { logger } from '../shared/logger';
import { flushMetrics } from '../shared/metrics';
import type { WebSocketEvent, WebSocketResult } from '../shared/websocket-event';
import { RecentRefusals, type BucketName } from './admission';
import { handleFrame } from './handle-frame';
import { RateLimiter, type BucketSpec } from './rate-limiter';

const settings = readSettings(process.env, FUNCTIONS.message.settings);
const buckets: Record<BucketName, BucketSpec> = {
  messages: { ratePerSecond: settings.messageRatePerSecond, burst: settings.messageBurst },
  drafts: { ratePerSecond: settings.draftRatePerSecond, burst: settings.draftBurst },
};

const deps = {
  connections: new ConnectionsStore(),
  history: new HistoryStore(),
  bus: new EventBus(),
  poster: new ConnectionPoster(),
  limiter: new RateLimiter(requireEnv(TABLES.connections.envVar), dynamoDocumentClient(), buckets),
  refusals: new RecentRefusals(),
  answers: new AnswerRequests(),
  bot: { name: settings.botName, replies: settings.botReplies },
};

/** Every client action route (join, sendMessage, typing, history, stopAnswer) and $default for frames that match none. */
export async function handler(event: WebSocketEvent, context: Context): Promise<WebSocketResult> {
  logger.addContext(context);
  logger.appendKeys({ connectionId: event.requestContext.connectionId });
  const { connectionId, identity, requestTimeEpoch } = event.requestContext;
  const request = { sourceIp: identity?.sourceIp ?? '', receivedAt: requestTimeEpoch };
  try {
    await handleFrame(connectionId, event.body, event.isBase64Encoded, deps, request);
  } finally {
    flushMetrics();
  }
  return { statusCode: 200 };
}
