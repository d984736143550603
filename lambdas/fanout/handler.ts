import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { FUNCTIONS, readSettings } from '../../contract';
import { ConnectionPoster } from '../shared/connection-poster';
import { ConnectionsStore } from '../shared/connections-store';
import { EventBus } from '../shared/event-bus';
import { HistoryStore } from '../shared/history-store';
import { logger } from '../shared/logger';
import { decodeBusRecord } from '../shared/decode-bus-record';
import { deliver } from './deliver';
import { RoomMembers } from './room-members';

const settings = readSettings(process.env, FUNCTIONS.fanout.settings);
const connections = new ConnectionsStore();
const history = new HistoryStore({ ttlDays: settings.historyTtlDays });
const shared = { connections, history, bus: new EventBus(), poster: new ConnectionPoster() };
const postConcurrency = settings.fanoutConcurrency;

/**
 * Delivers a batch of room events in stream order. Records are handled one after another so a room never sees its
 * events reordered; on the first failure the batch stops and that record is reported, and Lambda redelivers from it.
 */
export async function handler(event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> {
  logger.addContext(context);
  const deps = { ...shared, members: new RoomMembers(connections), concurrency: postConcurrency };
  for (const record of event.Records) {
    const busEvent = decodeBusRecord(record);
    if (!busEvent) {
      // Retrying cannot fix a record that is not a bus event; holding it would block the shard.
      logger.error('Skipping a record that is not a bus event', { sequenceNumber: record.kinesis.sequenceNumber });
      continue;
    }
    try {
      await deliver(busEvent, deps);
    } catch (error) {
      logger.error('Delivery failed; reporting the record for retry', { error, room: busEvent.room });
      return { batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
}
