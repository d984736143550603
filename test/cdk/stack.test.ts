// The shape of the stack beyond the topology: API and stage, the bus, the failure queue, outputs, runtime and
// least privilege.
import { Match } from 'aws-cdk-lib/assertions';
import { API, FUNCTIONS, type FunctionName, type FunctionSpec } from '../../contract';
import {
  asArray,
  getAtt,
  logicalIdOf,
  ref,
  statementsOfRole,
  synthesizeChat,
  type PolicyStatement,
  type SynthesizedChat,
} from './chat-stack-fixture';

const functionEntries = Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][];

let chat: SynthesizedChat;
beforeAll(() => {
  chat = synthesizeChat();
});

const stageUrl = (scheme: string) => ({
  'Fn::Join': [
    '',
    [
      `${scheme}://`,
      ref(chat.stack.api.api),
      '.execute-api.',
      { Ref: 'AWS::Region' },
      '.',
      { Ref: 'AWS::URLSuffix' },
      `/${API.defaultStageName}`,
    ],
  ],
});

describe('WebSocket API', () => {
  test('selects routes by the action field of the frame', () => {
    chat.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    chat.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'ChatTest',
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
  });

  test('has one auto-deployed, throttled, access-logged stage', () => {
    chat.template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    chat.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: ref(chat.stack.api.api),
      StageName: 'prod',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 500, ThrottlingRateLimit: 1000 },
      AccessLogSettings: {
        DestinationArn: getAtt(chat.stack.api.accessLogGroup, 'Arn'),
        Format:
          '{"requestId":"$context.requestId","requestTime":"$context.requestTime","eventType":"$context.eventType",' +
          '"routeKey":"$context.routeKey","connectionId":"$context.connectionId","status":"$context.status",' +
          '"sourceIp":"$context.identity.sourceIp","error":"$context.error.message",' +
          '"integrationError":"$context.integration.error"}',
      },
    });
    const accessLogs = chat.template.toJSON().Resources[logicalIdOf(chat.stack.api.accessLogGroup)];
    expect([accessLogs.Type, accessLogs.DeletionPolicy, accessLogs.Properties]).toStrictEqual([
      'AWS::Logs::LogGroup',
      'Delete',
      { RetentionInDays: 30 },
    ]);
  });

  test('sets the API Gateway account logging role before creating the stage, and keeps it on delete', () => {
    const [accountId] = Object.keys(chat.template.findResources('AWS::ApiGateway::Account'));
    chat.template.hasResource('AWS::ApiGatewayV2::Stage', { DependsOn: [accountId] });
    chat.template.hasResource('AWS::ApiGateway::Account', {
      DeletionPolicy: 'Retain',
      Properties: {
        CloudWatchRoleArn: getAtt(chat.stack.api.node.findChild('AccountLogging').node.findChild('Role'), 'Arn'),
      },
    });
    chat.template.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
        }),
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
            ],
          },
        ],
      },
    });
  });
});

describe('event bus', () => {
  test('the stream is provisioned and encrypted with the AWS-managed Kinesis key', () => {
    chat.template.hasResource('AWS::Kinesis::Stream', {
      DeletionPolicy: 'Delete',
      Properties: {
        ShardCount: 1,
        RetentionPeriodHours: 24,
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      },
    });
  });

  test('fanout and the bot each read through their own enhanced fan-out consumer', () => {
    chat.template.resourceCountIs('AWS::Kinesis::StreamConsumer', 2);
    for (const name of ['fanout', 'bot']) {
      chat.template.hasResourceProperties('AWS::Kinesis::StreamConsumer', {
        ConsumerName: name,
        StreamARN: getAtt(chat.stack.bus.streams.events, 'Arn'),
      });
    }
  });

  test('failed batches go to an encrypted, TLS-only queue kept 14 days', () => {
    const queue = chat.stack.failedEvents.queue;
    chat.template.resourceCountIs('AWS::SQS::Queue', 1);
    chat.template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    });
    chat.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(queue)],
      PolicyDocument: {
        Statement: [
          {
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Resource: getAtt(queue, 'Arn'),
          },
        ],
        Version: '2012-10-17',
      },
    });
    chat.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(chat.stack.functions.fanout.function),
      DestinationConfig: { OnFailure: { Destination: getAtt(queue, 'Arn') } },
    });
  });
});

describe('tables', () => {
  test('messages (history) is retained on stack deletion, connections is not', () => {
    chat.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'room', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
      },
    });
    chat.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: { KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }] },
    });
  });

  test('every table is on-demand and encrypted with the AWS-managed DynamoDB key', () => {
    for (const table of Object.values(chat.stack.tables.tables)) {
      const properties = chat.template.toJSON().Resources[logicalIdOf(table)].Properties;
      expect([properties.BillingMode, properties.SSESpecification]).toStrictEqual([
        'PAY_PER_REQUEST',
        { SSEEnabled: true },
      ]);
    }
  });
});

describe('outputs', () => {
  test('name the URLs, stream, tables and failure queue', () => {
    const outputs = chat.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const values = Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.Value]));
    expect(values).toStrictEqual({
      PageUrl: { 'Fn::Join': ['', ['https://', getAtt(chat.stack.web.distribution, 'DomainName'), '/']] },
      WebSocketUrl: stageUrl('wss'),
      ManagementApiUrl: stageUrl('https'),
      EventsStreamName: ref(chat.stack.bus.streams.events),
      BotBudgetTableName: ref(chat.stack.tables.tables.botBudget),
      BotAnswersTableName: ref(chat.stack.tables.tables.botAnswers),
      ConnectionsTableName: ref(chat.stack.tables.tables.connections),
      MessagesTableName: ref(chat.stack.tables.tables.messages),
      FailedEventsQueueUrl: ref(chat.stack.failedEvents.queue),
      DashboardUrl: {
        'Fn::Join': [
          '',
          [
            'https://console.aws.amazon.com/cloudwatch/home?region=',
            { Ref: 'AWS::Region' },
            '#dashboards:name=',
            ref(chat.stack.dashboard.dashboard),
          ],
        ],
      },
      AlarmTopicArn: ref(chat.stack.alarms.topic as NonNullable<typeof chat.stack.alarms.topic>),
    });
  });
});

describe('functions', () => {
  test('every function runs Node.js 24 on arm64 and logs to its own log group kept one month', () => {
    const functions = chat.template.findResources('AWS::Lambda::Function');
    // Besides the chat functions there is the page deployment's handler (BucketDeployment's own; test/cdk/web.test.ts).
    delete functions[logicalIdOf(chat.stack.web.deploymentHandler)];
    expect(Object.keys(functions).length).toBe(functionEntries.length);
    for (const [name] of functionEntries) {
      const chatFunction = chat.stack.functions[name];
      const properties = functions[logicalIdOf(chatFunction.function)].Properties;
      const { Runtime, Architectures, Handler, LoggingConfig } = properties;
      expect({ name, Runtime, Architectures, Handler, LoggingConfig }).toStrictEqual({
        name,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: ref(chatFunction.logGroup) },
      });
      const logGroup = chat.template.toJSON().Resources[logicalIdOf(chatFunction.logGroup)];
      expect([logGroup.Type, logGroup.DeletionPolicy, logGroup.Properties]).toStrictEqual([
        'AWS::Logs::LogGroup',
        'Delete',
        { RetentionInDays: 30 },
      ]);
    }
  });

  test('function roles carry no managed policy: logs are granted on their own log group', () => {
    for (const [name] of functionEntries) {
      const chatFunction = chat.stack.functions[name];
      const role = chat.template.toJSON().Resources[logicalIdOf(chatFunction.role)];
      expect([name, role.Properties.ManagedPolicyArns]).toStrictEqual([name, undefined]);
      expect(statementsOfRole(chat.template, logicalIdOf(chatFunction.role))).toContainEqual({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: getAtt(chatFunction.logGroup, 'Arn'),
      });
    }
  });
});

describe('least privilege', () => {
  const allStatements = (): PolicyStatement[] =>
    Object.values(chat.template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as PolicyStatement[],
    );

  test('no IAM policy statement allows every action or every resource', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of asArray(statement.Action)) {
        expect(action).not.toBe('*');
        expect(action).not.toMatch(/:\*$/);
      }
      for (const resource of asArray(statement.Resource)) expect(resource).not.toBe('*');
    }
  });

  test.each(functionEntries)('%s may manage connections only if its spec says so, on this stage only', (name, spec) => {
    const statements = statementsOfRole(chat.template, logicalIdOf(chat.stack.functions[name].role));
    const manage = statements.filter((statement) =>
      asArray(statement.Action).includes('execute-api:ManageConnections'),
    );
    const expected = {
      Action: 'execute-api:ManageConnections',
      Effect: 'Allow',
      Resource: {
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
            '/prod/POST/@connections/*',
          ],
        ],
      },
    };
    expect(manage).toStrictEqual(spec.manageConnections ? [expected] : []);
  });

  test('the connect function cannot touch the messages table at all', () => {
    const statements = statementsOfRole(chat.template, logicalIdOf(chat.stack.functions.connect.role));
    expect(JSON.stringify(statements)).not.toContain(logicalIdOf(chat.stack.tables.tables.messages));
  });

  test('only the stream consumer may read the stream and send to the failure queue', () => {
    for (const [name, spec] of functionEntries) {
      const actions = statementsOfRole(chat.template, logicalIdOf(chat.stack.functions[name].role)).flatMap(
        (statement) => asArray(statement.Action),
      );
      expect([name, actions.includes('kinesis:GetRecords'), actions.includes('sqs:SendMessage')]).toStrictEqual([
        name,
        spec.consumes !== undefined,
        spec.consumes !== undefined,
      ]);
    }
  });
});
