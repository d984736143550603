import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** Builds the event Lambda delivers for a batch of Kinesis records. */
export function kinesisEvent(
  records: readonly KinesisRecord[],
  source: { shardId: string; streamArn: string; region: string; functionName: string },
): KinesisStreamEvent {
  return {
    Records: records.map(
      (record): KinesisStreamRecord => ({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: record.PartitionKey ?? '',
          sequenceNumber: record.SequenceNumber ?? '',
          data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
          approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${source.shardId}:${record.SequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: `arn:aws:iam::000000000000:role/${source.functionName}`,
        awsRegion: source.region,
        eventSourceARN: source.streamArn,
      }),
    ),
  };
}
