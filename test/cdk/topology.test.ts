// The one-source-of-truth proof: what the stack synthesizes is exactly what contract/topology.ts describes.
import { Match } from 'aws-cdk-lib/assertions';
import { FIXED_ENVIRONMENT_KEYS } from '../../lib/chat-function';
import {
  environmentKeysOf,
  environmentSourcesOf,
  FUNCTIONS,
  FUNCTION_DESCRIPTIONS,
  functionForRoute,
  SETTINGS,
  STREAMS,
  TABLES,
  type EnvironmentSource,
  type FunctionName,
  type FunctionSpec,
  type RouteKey,
  type StreamName,
  type TableName,
  type TableSpec,
} from '../../contract';
import { getAtt, logicalIdOf, ref, synthesizeChat, type SynthesizedChat } from './chat-stack-fixture';

const functionEntries = Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][];
const tableEntries = Object.entries(TABLES) as [TableName, TableSpec][];

let chat: SynthesizedChat;
beforeAll(() => {
  chat = synthesizeChat();
});

describe('routes', () => {
  test('the synthesized route keys are exactly the union of the topology routes', () => {
    const routeKeys = Object.values(chat.template.findResources('AWS::ApiGatewayV2::Route'))
      .map((route) => route.Properties.RouteKey as string)
      .sort();
    const topologyRoutes = functionEntries.flatMap(([, spec]) => spec.routes).sort();

    expect(routeKeys).toStrictEqual(topologyRoutes);
    expect(new Set(routeKeys).size).toBe(routeKeys.length);
  });

  test.each(functionEntries.flatMap(([, spec]) => spec.routes))(
    'route %s integrates the Lambda of the function the topology names',
    (routeKey) => {
      const owner = chat.stack.functions[functionForRoute(routeKey as RouteKey)].function;
      const [route] = Object.values(
        chat.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
      );
      const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
      const integration = chat.template.toJSON().Resources[integrationId];

      expect(route.Properties.Target).toStrictEqual({ 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] });
      expect(route.Properties.AuthorizationType).toBe('NONE');
      expect([integration.Type, integration.Properties]).toStrictEqual([
        'AWS::ApiGatewayV2::Integration',
        {
          ApiId: ref(chat.stack.api.api),
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':apigateway:',
                { Ref: 'AWS::Region' },
                ':lambda:path/2015-03-31/functions/',
                getAtt(owner, 'Arn'),
                '/invocations',
              ],
            ],
          },
        },
      ]);
      // API Gateway may invoke the function only for this route of this API.
      chat.template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: getAtt(owner, 'Arn'),
        SourceArn: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':execute-api:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':',
              ref(chat.stack.api.api),
              `/*${routeKey}`,
            ],
          ],
        },
      });
    },
  );

  test('one Lambda integration per function that has routes', () => {
    chat.template.resourceCountIs(
      'AWS::ApiGatewayV2::Integration',
      functionEntries.filter(([, spec]) => spec.routes.length > 0).length,
    );
  });
});

describe('stream consumers', () => {
  const consumers = functionEntries.filter(([, spec]) => spec.consumes !== undefined);

  test('one event source mapping per function with `consumes`, none for the others', () => {
    chat.template.resourceCountIs('AWS::Lambda::EventSourceMapping', consumers.length);
    chat.template.resourceCountIs(
      'AWS::Kinesis::StreamConsumer',
      consumers.filter(([, spec]) => spec.consumes?.enhancedFanOut).length,
    );
  });

  test.each(consumers)('%s consumes its stream with the topology settings', (name, spec) => {
    const consumes = spec.consumes!;
    const chatFunction = chat.stack.functions[name];
    const stream = chat.stack.bus.streams[consumes.stream];
    // Enhanced fan-out reads through the function's own registered consumer; polling reads the stream itself.
    const eventSource = consumes.enhancedFanOut
      ? getAtt(chatFunction.node.findChild('StreamConsumer').node.findChild('Consumer'), 'ConsumerARN')
      : getAtt(stream, 'Arn');

    chat.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(chatFunction.function),
      EventSourceArn: eventSource,
      StartingPosition: consumes.startingPosition,
      BatchSize: consumes.batchSize,
      MaximumBatchingWindowInSeconds: consumes.maxBatchingWindowSeconds,
      MaximumRetryAttempts: consumes.retryAttempts,
      BisectBatchOnFunctionError: consumes.bisectBatchOnError,
      MaximumRecordAgeInSeconds: consumes.maxRecordAgeSeconds,
      ParallelizationFactor: consumes.parallelizationFactor,
      FunctionResponseTypes: consumes.reportBatchItemFailures ? ['ReportBatchItemFailures'] : Match.absent(),
      DestinationConfig: { OnFailure: { Destination: getAtt(chat.stack.failedEvents.queue, 'Arn') } },
    });
    if (consumes.enhancedFanOut) {
      chat.template.hasResourceProperties('AWS::Kinesis::StreamConsumer', {
        ConsumerName: name,
        StreamARN: getAtt(stream, 'Arn'),
      });
    }
  });
});

describe('tables', () => {
  test('one table per topology table', () => {
    chat.template.resourceCountIs('AWS::DynamoDB::Table', tableEntries.length);
  });

  test.each(tableEntries)('table %s has the topology keys, indexes, TTL and PITR', (name, spec) => {
    const table = chat.template.toJSON().Resources[logicalIdOf(chat.stack.tables.tables[name])];
    const keyAttributes = [
      spec.partitionKey,
      ...(spec.sortKey ? [spec.sortKey] : []),
      ...Object.values(spec.indexes).flatMap((index) => [
        index.partitionKey,
        ...(index.sortKey ? [index.sortKey] : []),
      ]),
    ];
    const keySchema = (partitionKey: string, sortKey?: string) => [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : []),
    ];

    expect(table.Properties.KeySchema).toStrictEqual(keySchema(spec.partitionKey, spec.sortKey));
    expect(table.Properties.AttributeDefinitions).toStrictEqual(
      [...new Set(keyAttributes)].map((attribute) => ({ AttributeName: attribute, AttributeType: 'S' })),
    );
    const indexes = Object.entries(spec.indexes).map(([indexName, index]) => ({
      IndexName: indexName,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection:
        index.nonKeyAttributes.length > 0
          ? { NonKeyAttributes: [...index.nonKeyAttributes], ProjectionType: 'INCLUDE' }
          : { ProjectionType: 'KEYS_ONLY' },
    }));
    expect(table.Properties.GlobalSecondaryIndexes).toStrictEqual(indexes.length > 0 ? indexes : undefined);
    expect(table.Properties.TimeToLiveSpecification).toStrictEqual(
      spec.timeToLiveAttribute ? { AttributeName: spec.timeToLiveAttribute, Enabled: true } : undefined,
    );
    expect(table.Properties.PointInTimeRecoverySpecification).toStrictEqual({
      PointInTimeRecoveryEnabled: spec.pointInTimeRecovery,
    });
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });
});

describe('streams', () => {
  test.each(Object.entries(STREAMS) as [StreamName, (typeof STREAMS)[StreamName]][])(
    'stream %s has the topology shard count and retention',
    (name, spec) => {
      chat.template.resourceCountIs('AWS::Kinesis::Stream', Object.keys(STREAMS).length);
      expect(chat.template.toJSON().Resources[logicalIdOf(chat.stack.bus.streams[name])].Properties).toMatchObject({
        ShardCount: spec.shardCount,
        RetentionPeriodHours: spec.retentionHours,
      });
    },
  );
});

describe('functions', () => {
  test('one Node.js Lambda function per topology function', () => {
    const chatFunctions = chat.template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } });
    expect(Object.keys(chatFunctions)).toHaveLength(functionEntries.length);
  });

  test.each(functionEntries)('%s gets the memory, timeout and description of its spec', (name, spec) => {
    chat.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: FUNCTION_DESCRIPTIONS[name],
      MemorySize: spec.memoryMb,
      Timeout: spec.timeoutSeconds,
      Role: getAtt(chat.stack.functions[name].role, 'Arn'),
    });
  });

  test.each(functionEntries)('%s environment keys are environmentKeysOf(spec) plus the fixed extras', (name, spec) => {
    const variables = chat.template.toJSON().Resources[logicalIdOf(chat.stack.functions[name].function)].Properties
      .Environment.Variables as Record<string, unknown>;

    expect(Object.keys(variables).sort()).toStrictEqual(
      [...environmentKeysOf(spec), ...FIXED_ENVIRONMENT_KEYS].sort(),
    );
    expect(variables.POWERTOOLS_SERVICE_NAME).toBe(`chat-${name}`);
    expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  test.each(functionEntries)('%s environment values resolve to the deployed resources and settings', (name, spec) => {
    const variables = chat.template.toJSON().Resources[logicalIdOf(chat.stack.functions[name].function)].Properties
      .Environment.Variables as Record<string, unknown>;
    const stage = chat.stack.api.stage;

    const expectedValue = (source: EnvironmentSource): unknown => {
      switch (source.kind) {
        case 'table':
          return ref(chat.stack.tables.tables[source.table]);
        case 'stream':
          return ref(chat.stack.bus.streams[source.stream]);
        case 'managementApi':
          return {
            'Fn::Join': [
              '',
              [
                'https://',
                ref(stage.api),
                '.execute-api.',
                { Ref: 'AWS::Region' },
                '.',
                { Ref: 'AWS::URLSuffix' },
                `/${stage.stageName}`,
              ],
            ],
          };
        case 'setting':
          // With no allow-list configured, $connect allows the page's CloudFront origin (test/cdk/web.test.ts).
          return source.setting === 'allowedOrigins'
            ? { 'Fn::Join': ['', ['https://', getAtt(chat.stack.web.distribution, 'DomainName')]] }
            : SETTINGS[source.setting].defaultValue;
      }
    };

    for (const [key, source] of environmentSourcesOf(spec)) {
      const expected = expectedValue(source);
      expect([key, variables[key]]).toStrictEqual([key, expected]);
    }
  });
});
