import type { KinesisStreamRecord } from 'aws-lambda';
import type { Sender } from '../shared/bus-event';
import { decodeBusRecord } from '../shared/decode-bus-record';
import { logger } from '../shared/logger';
import type { UserFrame } from '../../contract/protocol';

/** A person's message, and who sent it when the record says so. */
export interface Question {
  frame: UserFrame;
  sender?: Sender;
}

export interface RoomQuestions {
  questions: Question[];
  /** The first record of this room in the batch: where Lambda retries from if the room could not be handled. */
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
    const question: Question = { frame: event.frame, ...(event.sender ? { sender: event.sender } : {}) };
    const room = rooms.get(event.room);
    if (room) room.questions.push(question);
    else rooms.set(event.room, { questions: [question], firstSequenceNumber: record.kinesis.sequenceNumber });
  }
  return rooms;
}
