/** Messages between a function pool and one of its workers (one worker = one Lambda execution environment). */

export interface InvokeRequest {
  type: 'invoke';
  id: number;
  event: unknown;
  context: InvocationContext;
}

export interface InvocationContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  deadlineMs: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export interface WorkerData {
  bundlePath: string;
  handlerName: string;
  /** PEM certificates the function trusts besides the public roots (the local gateway's own HTTPS certificate). */
  trustedCertificates: string[];
}
