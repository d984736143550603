import type { FunctionSpec } from '../../contract';

/** Its description, added to contract FUNCTION_DESCRIPTIONS beside it. */
export const DIGEST_DESCRIPTION = 'Answers questions asked in a room';

/** A hypothetical polling consumer, added to topology FUNCTIONS by extension.test.ts. */
export const DIGEST: FunctionSpec = {
  entry: 'lambdas/fanout/handler.ts',
  memoryMb: 1024,
  timeoutSeconds: 120,
  routes: [],
  consumes: {
    stream: 'events',
    enhancedFanOut: false,
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    retryAttempts: 2,
    bisectBatchOnError: false,
    reportBatchItemFailures: false,
    maxRecordAgeSeconds: 600,
    parallelizationFactor: 2,
    startingPosition: 'TRIM_HORIZON',
    filterPatterns: [],
  },
  tables: { messages: { actions: ['dynamodb:Query'] } },
  writesTo: ['events'],
  manageConnections: false,
  settings: ['logLevel'],
  models: [],
};
