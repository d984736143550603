import type { KinesisStreamRecord } from 'aws-lambda';
import type { BusEvent } from '../shared/bus-event';
import { decodeBusRecord } from '../shared/decode-bus-record';
import { logger } from '../shared/logger';

/** A batch's events by room, each room's in stream order. Records that are not bus events are logged and skipped. */
export function groupByRoom(records: readonly KinesisStreamRecord[]): Map<string, BusEvent[]> {
  const rooms = new Map<string, BusEvent[]>();
  for (const record of records) {
    const event = decodeBusRecord(record);
    if (!event) {
      // Retrying cannot fix a record that is not a bus event; holding it would block the room's lane.
      logger.error('Skipping a record that is not a bus event', { sequenceNumber: record.kinesis.sequenceNumber });
      continue;
    }
    const events = rooms.get(event.room);
    if (events) events.push(event);
    else rooms.set(event.room, [event]);
  }
  return rooms;
}
