import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The batch that exhausted its retries (or aged out), described as Lambda describes it to an on-failure destination
 * (an invocation record, version 1.0). Why the function failed is not in it, in AWS either: that is in the logs, under
 * `requestContext.requestId`.
 */
export interface FailedBatch {
  requestContext: {
    /** The last invocation's request id (the function's `context.awsRequestId`). */
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  /** `functionError` is there when the last invocation failed (`Unhandled`: threw, timed out or crashed). */
  responseContext: { statusCode: number; executedVersion: string; functionError?: 'Unhandled' };
  version: '1.0';
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
