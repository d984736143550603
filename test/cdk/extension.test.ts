// Adding a function to topology FUNCTIONS is all it takes: the stack builds its Lambda, environment, grants and
// stream consumer with no other code change. Shown with a hypothetical polling `digest` consumer.
import './with-digest-function';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ChatApi } from '../../lib/chat-api';
import { FIXED_ENVIRONMENT_KEYS } from '../../lib/chat-function';
import { environmentKeysOf, FUNCTIONS, type FunctionSpec } from '../../contract';
import { getAtt, logicalIdOf, ref, statementsOfRole, synthesizeChat, type SynthesizedChat } from './chat-stack-fixture';
import { DIGEST as digest } from './digest-function';



let chat: SynthesizedChat;
beforeAll(() => {
  chat = synthesizeChat();
});

test('the new function is built from its spec', () => {
  const chatFunctions = chat.template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } });
  expect(Object.keys(FUNCTIONS)).toContain('digest');
  expect(Object.keys(chatFunctions)).toHaveLength(Object.keys(FUNCTIONS).length);
  chat.template.hasResourceProperties('AWS::Lambda::Function', {
    Description: 'Answers questions asked in a room',
    MemorySize: 1024,
    Timeout: 120,
    Runtime: 'nodejs24.x',
    Architectures: ['arm64'],
  });
  const variables = chat.template.toJSON().Resources[logicalIdOf(chat.stack.functions.digest.function)].Properties
    .Environment.Variables;
  expect(Object.keys(variables).sort()).toStrictEqual([...environmentKeysOf(digest), ...FIXED_ENVIRONMENT_KEYS].sort());
  expect(Object.keys(variables).sort()).toStrictEqual([
    'EVENTS_STREAM',
    'LOG_LEVEL',
    'MESSAGES_TABLE',
    'NODE_OPTIONS',
    'POWERTOOLS_SERVICE_NAME',
  ]);
});

test('a consumer without enhanced fan-out polls the stream itself, with its own settings', () => {
  const consumers = Object.values<FunctionSpec>(FUNCTIONS).flatMap((spec) => (spec.consumes ? [spec.consumes] : []));
  chat.template.resourceCountIs('AWS::Lambda::EventSourceMapping', consumers.length);
  chat.template.resourceCountIs('AWS::Kinesis::StreamConsumer', consumers.filter((consumes) => consumes.enhancedFanOut).length);
  chat.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    FunctionName: ref(chat.stack.functions.digest.function),
    EventSourceArn: getAtt(chat.stack.bus.streams.events, 'Arn'),
    StartingPosition: 'TRIM_HORIZON',
    BatchSize: 10,
    MaximumBatchingWindowInSeconds: 1,
    MaximumRetryAttempts: 2,
    BisectBatchOnFunctionError: false,
    MaximumRecordAgeInSeconds: 600,
    ParallelizationFactor: 2,
    DestinationConfig: { OnFailure: { Destination: getAtt(chat.stack.failedEvents.queue, 'Arn') } },
  });
});

test('the new function gets only the access its spec declares', () => {
  const statements = statementsOfRole(chat.template, logicalIdOf(chat.stack.functions.digest.role));
  const text = JSON.stringify(statements);

  expect(text).toContain(logicalIdOf(chat.stack.tables.tables.messages));
  expect(text).not.toContain(logicalIdOf(chat.stack.tables.tables.connections));
  expect(text).not.toContain('execute-api:ManageConnections');
  expect(text).not.toContain('dynamodb:PutItem');
});

test('a route claimed by two functions is rejected at synth time, naming both', () => {
  const stack = new Stack();
  const api = new ChatApi(stack, 'Api', { configureApiGatewayAccount: false });
  const handler = new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  api.addRoutes('message', handler, FUNCTIONS.message.routes);
  expect(() => api.addRoutes('typingBot', handler, ['typing'])).toThrow(
    new Error('Route typing is claimed by both message and typingBot in topology FUNCTIONS'),
  );
});
