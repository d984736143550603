import { KinesisClient } from '@aws-sdk/client-kinesis';
import { keepAliveHandler } from './keep-alive-handler';

let kinesisClient: KinesisClient | undefined;

/** The Kinesis client, created once per Lambda instance. */
export function kinesis(): KinesisClient {
  kinesisClient ??= new KinesisClient({ requestHandler: keepAliveHandler() });
  return kinesisClient;
}
