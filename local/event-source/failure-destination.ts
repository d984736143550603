import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** The batch that exhausted its retries, described as Lambda describes it to an on-failure destination. */
export interface FailedBatch {
  requestContext: { functionArn: string; condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded'; approximateInvokeCount: number };
  responseContext: { functionError?: string };
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

/** Locally, the on-failure destination (an SQS queue in AWS) is a JSON-lines file; each line is one failed batch. */
export class FailureDestination {
  public readonly sent: FailedBatch[] = [];

  public constructor(private readonly path: string | undefined) {}

  public send(batch: FailedBatch): void {
    this.sent.push(batch);
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify(batch)}\n`);
  }
}
