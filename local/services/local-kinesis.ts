import { CreateStreamCommand, DescribeStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import kinesalite from 'kinesalite';
import { STREAMS, type StreamName, type StreamSpec } from '../../contract';
import { closeServer, listen } from '../listen';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-credentials';
import { KinesisWrites } from './kinesis-writes';
import { RequestsInFlight } from './requests-in-flight';

export interface LocalStream {
  name: string;
  arn: string;
}

export interface LocalKinesis {
  endpoint: string;
  streams: Record<StreamName, LocalStream>;
  /** A client for the runtime's own use (the event source poller). */
  client: KinesisClient;
  /** Successful writes, for the event source to wait on when a shard is idle. */
  writes: KinesisWrites;
  stop(): Promise<void>;
}

/** kinesalite (real Kinesis API over LevelDB) with every stream of the topology. `path` persists it on disk. */
export async function startLocalKinesis(options: { path?: string; streamPrefix: string }): Promise<LocalKinesis> {
  const streams = Object.fromEntries(
    (Object.entries(STREAMS) as [StreamName, StreamSpec][]).map(([name, spec]) => [`${options.streamPrefix}-${name}`, { shardCount: spec.shardCount }]),
  );
  const started = await startKinesisWithStreams({ path: options.path, streams });
  const byName = Object.fromEntries(Object.keys(STREAMS).map((name) => [name, started.streams[`${options.streamPrefix}-${name}`]])) as Record<StreamName, LocalStream>;
  return { ...started, streams: byName };
}

/** One stream of any app. */
export interface LocalStreamSpec {
  readonly shardCount: number;
}

/** kinesalite with the given streams, by their full names. `path` persists it on disk. */
export async function startKinesisWithStreams(options: {
  path?: string;
  streams: Readonly<Record<string, LocalStreamSpec>>;
}): Promise<Omit<LocalKinesis, 'streams'> & { streams: Record<string, LocalStream> }> {
  const server = kinesalite({ path: options.path, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  const inFlight = new RequestsInFlight(server);
  const writes = new KinesisWrites(server);
  const endpoint = `http://127.0.0.1:${await listen(server)}`;
  // kinesalite speaks HTTP/1.1 only; the SDK would otherwise choose HTTP/2 for Kinesis.
  const client = new KinesisClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: new NodeHttpHandler(),
  });
  const streams: Record<string, LocalStream> = {};
  try {
    for (const [name, spec] of Object.entries(options.streams)) streams[name] = await ensureStream(client, name, spec.shardCount);
  } catch (error) {
    client.destroy();
    await closeServer(server);
    throw error;
  }
  return {
    endpoint,
    streams,
    client,
    writes,
    stop: async () => {
      client.destroy();
      await inFlight.drain(server);
      await closeServer(server);
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
