import { CreateStreamCommand, DescribeStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { STREAMS, type StreamName, type StreamSpec } from '../../contract';
import { startServiceThread } from './service-thread';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-credentials';

export interface LocalStream {
  name: string;
  arn: string;
}

export interface LocalKinesis {
  endpoint: string;
  streams: Record<StreamName, LocalStream>;
  /** A client for the runtime's own use (the event source poller). */
  client: KinesisClient;
  stop(): Promise<void>;
}

/**
 * kinesalite (real Kinesis API over LevelDB), in a thread of its own, with every stream of the topology. `path`
 * persists it on disk.
 */
export async function startLocalKinesis(options: { path?: string; streamPrefix: string }): Promise<LocalKinesis> {
  const thread = await startServiceThread('kinesalite', { path: options.path, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  const { endpoint } = thread;
  // kinesalite speaks HTTP/1.1 only; the SDK would otherwise choose HTTP/2 for Kinesis.
  const client = new KinesisClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: new NodeHttpHandler(),
  });
  const streams = {} as Record<StreamName, LocalStream>;
  for (const [name, spec] of Object.entries(STREAMS) as [StreamName, StreamSpec][]) {
    streams[name] = await ensureStream(client, `${options.streamPrefix}-${name}`, spec.shardCount);
  }
  return {
    endpoint,
    streams,
    client,
    stop: async () => {
      client.destroy();
      await thread.stop();
    },
  };
}

async function ensureStream(client: KinesisClient, name: string, shardCount: number): Promise<LocalStream> {
  try {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: name }));
    return { name, arn: StreamDescription?.StreamARN ?? '' };
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
  for (;;) {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: name }));
    if (StreamDescription?.StreamStatus === 'ACTIVE') return { name, arn: StreamDescription.StreamARN ?? '' };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
