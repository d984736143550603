import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { readSettings } from '../../contract/read-settings';
import { FUNCTIONS } from '../../contract/topology';
import { ConnectionPoster } from '../shared/connection-poster';
import { ConnectionsStore } from '../shared/connections-store';
import { EventBus } from '../shared/event-bus';
import { HistoryStore } from '../shared/history-store';
import { logger } from '../shared/logger';
import { flushMetrics } from '../shared/metrics';
import { NameClaims } from '../shared/name-claims';
import { groupByRoom } from './group-by-room';
import { deliverRoom } from './room-delivery';

const settings = readSettings(process.env, FUNCTIONS.fanout.settings);
const deps = {
  connections: new ConnectionsStore(),
  history: new HistoryStore({ ttlDays: settings.historyTtlDays }),
  bus: new EventBus(),
  names: new NameClaims(),
  poster: new ConnectionPoster(),
  concurrency: settings.fanoutConcurrency,
};

/**
 * Delivers a batch room by room, rooms concurrently, each room's events in stream order and in one WebSocket message
 * per member. A room that could not be fully delivered is reported at its earliest undelivered record; Lambda retries
 * from the lowest one reported, so other rooms' later records may come again, and clients drop what they already
 * have by id (and (id, seq) for answer deltas).
 */
export async function handler(event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> {
  logger.addContext(context);
  const retryFrom = await Promise.all(
    [...groupByRoom(event.Records)].map(([room, events]) => deliverRoom(room, events, deps)),
  ).finally(flushMetrics);
  return {
    batchItemFailures: retryFrom.flatMap((sequenceNumber) => (sequenceNumber ? [{ itemIdentifier: sequenceNumber }] : [])),
  };
}
