import type { KinesisStreamRecord } from 'aws-lambda';
import { busRecordSchema, type BusEvent } from './bus-event';
import { streamMessageId } from './stream-message-id';

/**
 * Decodes a Kinesis record into a bus event; undefined when it is not one (logged and skipped by the caller). A
 * person's message gets its id here, from the record's place in the stream.
 */
export function decodeBusRecord(record: KinesisStreamRecord): BusEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = busRecordSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { room, frame, exclude, only, sender } = parsed.data;
  const { sequenceNumber, approximateArrivalTimestamp } = record.kinesis;
  return {
    room,
    frame: frame.type === 'user' ? { ...frame, id: streamMessageId(approximateArrivalTimestamp, sequenceNumber) } : frame,
    exclude,
    ...(only === undefined ? {} : { only }),
    ...(sender === undefined ? {} : { sender }),
    sequenceNumber,
  };
}
