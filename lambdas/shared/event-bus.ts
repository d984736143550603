import { PutRecordCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { STREAMS } from '../../contract/topology';
import { kinesis } from './aws/kinesis-client';
import type { BusRecord } from './bus-event';
import { requireEnv } from './config';

/** Puts room events on the Kinesis stream, partitioned by room so each room's events stay in order. */
export class EventBus {
  public constructor(
    private readonly streamName: string = requireEnv(STREAMS.events.envVar),
    private readonly client: KinesisClient = kinesis(),
  ) {}

  public async publish(event: BusRecord): Promise<string> {
    const { SequenceNumber } = await this.client.send(
      new PutRecordCommand({
        StreamName: this.streamName,
        PartitionKey: event.room,
        Data: Buffer.from(JSON.stringify(event)),
      }),
    );
    return SequenceNumber ?? '';
  }
}
