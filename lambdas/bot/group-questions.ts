import type { KinesisStreamRecord } from 'aws-lambda';
import { decodeBusRecord } from '../shared/decode-bus-record';
import { logger } from '../shared/logger';
import type { UserFrame } from '../../contract/protocol';

export interface RoomQuestions {
  questions: UserFrame[];
  /** The first record of this room in the batch: where Lambda retries from if the answer cannot be published. */
  firstSequenceNumber: string;
}

/** People's messages in a batch, by room, in stream order. Other records (the filter lets none through) are skipped. */
export function groupQuestions(records: readonly KinesisStreamRecord[]): Map<string, RoomQuestions> {
  const rooms = new Map<string, RoomQuestions>();
  for (const record of records) {
    const event = decodeBusRecord(record);
    if (event?.frame.type !== 'user') {
      if (!event) logger.error('Skipping a record that is not a bus event', { sequenceNumber: record.kinesis.sequenceNumber });
      continue;
    }
    const room = rooms.get(event.room);
    if (room) room.questions.push(event.frame);
    else rooms.set(event.room, { questions: [event.frame], firstSequenceNumber: record.kinesis.sequenceNumber });
  }
  return rooms;
}
