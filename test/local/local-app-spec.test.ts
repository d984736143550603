import { eventSourceSpec } from '../../local/app/start-local-web-socket-app';
import { lambdaEnvironment } from '../../local/lambda/lambda-environment';

describe('what every function of a local app receives', () => {
  const environment = lambdaEnvironment({
    functionName: 'echo-sendMessage',
    memoryMb: 256,
    endpoints: { dynamoDb: 'http://127.0.0.1:1001', kinesis: 'http://127.0.0.1:1002', managementApi: 'http://127.0.0.1:1003/dev' },
  });

  it('points the SDKs at the local services with their service-specific endpoint variables', () => {
    expect(environment.endpoints).toEqual({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1001',
      AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:1002',
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'http://127.0.0.1:1003/dev',
    });
  });

  it("sets Lambda's reserved variables and credentials the local services accept", () => {
    expect(environment.reserved).toEqual({
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_LAMBDA_FUNCTION_NAME: 'echo-sendMessage',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      TZ: 'UTC',
    });
  });
});

describe('an event source mapping of a local app', () => {
  it("takes Lambda's defaults for what it leaves out, with no retry or record age limit", () => {
    expect(eventSourceSpec({ function: 'consumer', stream: 'events' })).toEqual({
      stream: 'events',
      enhancedFanOut: false,
      batchSize: 100,
      maxBatchingWindowSeconds: 0,
      retryAttempts: Infinity,
      bisectBatchOnError: false,
      reportBatchItemFailures: false,
      maxRecordAgeSeconds: Infinity,
      parallelizationFactor: 1,
      startingPosition: 'LATEST',
      filterPatterns: [],
    });
  });

  it('reads -1 (as CloudFormation writes "no limit") as no limit, and keeps what it is given', () => {
    const spec = eventSourceSpec({ function: 'consumer', stream: 'events', retryAttempts: -1, maxRecordAgeSeconds: -1, batchSize: 10 });
    expect([spec.retryAttempts, spec.maxRecordAgeSeconds, spec.batchSize]).toEqual([Infinity, Infinity, 10]);
    expect(eventSourceSpec({ function: 'consumer', stream: 'events', retryAttempts: 2 }).retryAttempts).toBe(2);
  });
});
