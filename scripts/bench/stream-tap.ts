import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/local-credentials';
import { isObject } from './bench-client';

const POLL_MS = 10;

/**
 * Reads the event stream alongside the functions, from now on: counts records per room, and keeps when each answer
 * delta was put on the stream (Kinesis' ApproximateArrivalTimestamp), so a listener's delta latency is measured from
 * the moment the bot published it. Times are converted to performance.now().
 */
export class StreamTap {
  public readonly recordsByRoom = new Map<string, number>();
  /** `${answerId}:${seq}` -> when that delta was put on the stream. */
  public readonly deltaPutAt = new Map<string, number>();
  private readonly client: KinesisClient;
  private running = true;
  private readers: Promise<void>[] = [];

  public constructor(
    endpoint: string,
    private readonly streamName: string,
  ) {
    this.client = new KinesisClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler: new NodeHttpHandler() });
  }

  public async start(): Promise<void> {
    const { Shards = [] } = await this.client.send(new ListShardsCommand({ StreamName: this.streamName }));
    for (const shard of Shards) {
      const { ShardIterator } = await this.client.send(
        new GetShardIteratorCommand({ StreamName: this.streamName, ShardId: shard.ShardId, ShardIteratorType: 'LATEST' }),
      );
      this.readers.push(this.read(ShardIterator));
    }
  }

  public records(room: string): number {
    return this.recordsByRoom.get(room) ?? 0;
  }

  public async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.readers);
    this.client.destroy();
  }

  private async read(first: string | undefined): Promise<void> {
    let iterator = first;
    while (this.running && iterator) {
      try {
        const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        iterator = page.NextShardIterator;
        for (const record of page.Records ?? []) this.note(record.Data, record.ApproximateArrivalTimestamp);
        if ((page.Records ?? []).length === 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  private note(data: Uint8Array | undefined, arrival: Date | undefined): void {
    let event: unknown;
    try {
      event = JSON.parse(Buffer.from(data ?? []).toString('utf8'));
    } catch {
      return;
    }
    if (!isObject(event) || !isObject(event.frame)) return;
    const room = String(event.room);
    this.recordsByRoom.set(room, this.records(room) + 1);
    const { frame } = event;
    if (frame.type === 'ai' && frame.state === 'delta' && arrival) {
      this.deltaPutAt.set(`${String(frame.id)}:${String(frame.seq)}`, arrival.getTime() - performance.timeOrigin);
    }
  }
}
