import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import { pascalCase } from './names';
import { STREAMS, type StreamName, type StreamSpec } from '../contract';

/** Props of `ChatBus`. */
export interface ChatBusProps {
  /**
   * What happens to the streams when the stack is deleted. Records live `retentionHours` at most, so nothing of value
   * is lost and a retained provisioned stream would keep costing per shard-hour.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One Kinesis data stream per topology `STREAMS` entry: provisioned with the spec's shard count and retention, and
 * encrypted with the AWS-managed `aws/kinesis` key (no key policy to manage, no KMS grants for producers/consumers).
 */
export class ChatBus extends Construct {
  public readonly streams: Readonly<Record<StreamName, kinesis.Stream>>;

  constructor(scope: Construct, id: string, props: ChatBusProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    this.streams = Object.fromEntries(
      (Object.entries(STREAMS) as [StreamName, StreamSpec][]).map(([name, spec]) => [
        name,
        new kinesis.Stream(this, pascalCase(name), {
          streamMode: kinesis.StreamMode.PROVISIONED,
          shardCount: spec.shardCount,
          retentionPeriod: Duration.hours(spec.retentionHours),
          encryption: kinesis.StreamEncryption.MANAGED,
          removalPolicy,
        }),
      ]),
    ) as Record<StreamName, kinesis.Stream>;
  }
}
