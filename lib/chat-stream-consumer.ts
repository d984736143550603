import { Duration } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  KinesisConsumerEventSource,
  KinesisEventSource,
  SqsDlq,
  type KinesisEventSourceProps,
} from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StreamConsumerSpec } from '../contract';

/** Props of `ChatStreamConsumer`. */
export interface ChatStreamConsumerProps {
  /** The consuming function's key in topology `FUNCTIONS`; names its enhanced fan-out consumer. */
  readonly name: string;
  /** The function's `consumes` entry: every event source mapping setting comes from it. */
  readonly spec: StreamConsumerSpec;
  readonly stream: kinesis.IStream;
  readonly handler: lambda.IFunction;
  /** Where Lambda reports a batch that exhausted its retries or aged out. */
  readonly onFailure: sqs.IQueue;
}

/**
 * A Lambda event source mapping on a Kinesis stream, configured from a topology `consumes` spec. With
 * `enhancedFanOut` the function gets its own registered consumer (records pushed over HTTP/2, about 70 ms);
 * otherwise it polls the shards (about once a second). Read access comes with the mapping.
 */
export class ChatStreamConsumer extends Construct {
  /** The registered enhanced fan-out consumer, when the spec asks for one. */
  public readonly streamConsumer?: kinesis.StreamConsumer;
  public readonly eventSource: KinesisEventSource | KinesisConsumerEventSource;

  constructor(scope: Construct, id: string, props: ChatStreamConsumerProps) {
    super(scope, id);
    const { spec } = props;
    const settings: KinesisEventSourceProps = {
      startingPosition: lambda.StartingPosition[spec.startingPosition],
      batchSize: spec.batchSize,
      maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
      retryAttempts: spec.retryAttempts,
      bisectBatchOnError: spec.bisectBatchOnError,
      reportBatchItemFailures: spec.reportBatchItemFailures,
      maxRecordAge: Duration.seconds(spec.maxRecordAgeSeconds),
      parallelizationFactor: spec.parallelizationFactor,
      onFailure: new SqsDlq(props.onFailure),
      filters: spec.filterPatterns.length
        ? spec.filterPatterns.map((pattern) => lambda.FilterCriteria.filter(pattern as Record<string, unknown>))
        : undefined,
    };

    if (spec.enhancedFanOut) {
      this.streamConsumer = new kinesis.StreamConsumer(this, 'Consumer', {
        stream: props.stream,
        streamConsumerName: props.name,
      });
      this.eventSource = new KinesisConsumerEventSource(this.streamConsumer, settings);
    } else {
      this.eventSource = new KinesisEventSource(props.stream, settings);
    }
    props.handler.addEventSource(this.eventSource);
  }
}
