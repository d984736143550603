import type { KinesisStreamRecord } from 'aws-lambda';
import { busEventSchema, type BusEvent } from './bus-event';

/** Decodes a Kinesis record into a bus event; undefined when it is not one (logged and skipped by the caller). */
export function decodeBusRecord(record: KinesisStreamRecord): BusEvent | undefined {
  try {
    const json: unknown = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    const parsed = busEventSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
