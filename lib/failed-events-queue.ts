import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of `FailedEventsQueue`. */
export interface FailedEventsQueueProps {
  /**
   * How long a failure record stays for inspection or replay.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * The on-failure destination of every stream consumer: when a batch has exhausted its retries (or its records are
 * too old), Lambda sends a record describing the failed shard range here, so the events can be re-read from the
 * stream. Encrypted (SSE-SQS) and TLS-only.
 */
export class FailedEventsQueue extends Construct {
  public readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: FailedEventsQueueProps = {}) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination (event source mapping OnFailure) of the stream ' +
        'consumers; a DLQ of the DLQ would only move the same failure records one hop further.',
    });
  }
}
