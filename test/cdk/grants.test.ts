// Least privilege, call by call: each function's role allows exactly the actions its code makes, on exactly the
// resources it makes them on. The list below is written out by hand (derived from the SDK calls in lambdas/), and
// topology.ts's declaration must produce exactly it.
import { App, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ChatBus } from '../../lib/chat-bus';
import { ChatFunction } from '../../lib/chat-function';
import { ChatTables } from '../../lib/chat-tables';
import {
  FUNCTION_DESCRIPTIONS,
  FUNCTIONS,
  SETTINGS,
  STREAM_WRITE_ACTIONS,
  type FunctionName,
  type SettingName,
  type FunctionSpec,
  type TableAccess,
  type TableName,
} from '../../contract';
import { asArray, logicalIdOf, statementsOfRole, synthesizeChat, type SynthesizedChat } from './chat-stack-fixture';

let chat: SynthesizedChat;
let names: Map<string, string>;
beforeAll(() => {
  chat = synthesizeChat();
  const named: [IConstruct, string][] = [
    ...Object.entries(chat.stack.tables.tables).map(([name, table]): [IConstruct, string] => [table, `table:${name}`]),
    ...Object.entries(chat.stack.bus.streams).map(([name, stream]): [IConstruct, string] => [stream, `stream:${name}`]),
    [chat.stack.failedEvents.queue, 'queue:failedEvents'],
    [chat.stack.api.api, 'api'],
    ...Object.entries(chat.stack.functions).map(([name, fn]): [IConstruct, string] => [fn.logGroup, `logs:${name}`]),
  ];
  names = new Map(named.map(([construct, name]) => [logicalIdOf(construct), name]));
  for (const [name, fn] of Object.entries(chat.stack.functions)) {
    const consumer = fn.node.tryFindChild('StreamConsumer')?.node.tryFindChild('Consumer');
    if (consumer) names.set(logicalIdOf(consumer), `consumer:${name}`);
  }
});

/** A resource as text: intrinsics resolved to the names above (`table:connections/index/byRoom`). */
function render(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const value = resource as Record<string, unknown>;
  if ('Ref' in value) return names.get(String(value.Ref)) ?? `<${String(value.Ref)}>`;
  if ('Fn::GetAtt' in value) {
    const [id, attribute] = value['Fn::GetAtt'] as [string, string];
    return names.get(id) ?? `<${id}.${attribute}>`;
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  throw new Error(`Unexpected resource ${JSON.stringify(resource)}`);
}

/** Every (action, resource) pair the function's role allows, as `action resource`, sorted. */
function allowed(name: FunctionName): string[] {
  const statements = statementsOfRole(chat.template, logicalIdOf(chat.stack.functions[name].role));
  return statements
    .flatMap((statement) =>
      asArray(statement.Action).flatMap((action) => asArray(statement.Resource).map((resource) => `${action} ${render(resource)}`)),
    )
    .sort();
}

const POST_TO_CONNECTION =
  'execute-api:ManageConnections arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:api/prod/POST/@connections/*';
const logsOf = (name: FunctionName) => [`logs:CreateLogStream logs:${name}`, `logs:PutLogEvents logs:${name}`];
/** What Lambda's event source mapping reads the stream through (enhanced fan-out) and reports failed batches with. */
const consumerOf = (name: FunctionName) => [
  'kinesis:DescribeStream stream:events',
  `kinesis:DescribeStreamConsumer consumer:${name}`,
  'kinesis:DescribeStreamConsumer stream:events',
  'kinesis:DescribeStreamSummary stream:events',
  'kinesis:GetRecords stream:events',
  'kinesis:GetShardIterator stream:events',
  'kinesis:ListShards stream:events',
  'kinesis:ListStreams stream:events',
  `kinesis:SubscribeToShard consumer:${name}`,
  'kinesis:SubscribeToShard stream:events',
  'sqs:GetQueueAttributes queue:failedEvents',
  'sqs:GetQueueUrl queue:failedEvents',
  'sqs:SendMessage queue:failedEvents',
];

/** Each function's calls, from its code: which store method sends which command. */
const EXPECTED: Record<FunctionName, string[]> = {
  connect: [
    'dynamodb:PutItem table:connections', // ConnectionsStore.register ($connect)
    'dynamodb:UpdateItem table:connections', // NameClaims.claim ($connect), NameClaims.release ($disconnect)
    'dynamodb:DeleteItem table:connections', // ConnectionsStore.remove, NameClaims.release ($disconnect)
    'kinesis:PutRecord stream:events', // EventBus.publish (presence)
    ...logsOf('connect'),
  ],
  message: [
    'dynamodb:GetItem table:connections', // ConnectionsStore.get (the sender), RateLimiter.read
    'dynamodb:UpdateItem table:connections', // RateLimiter.tryAdvance
    'dynamodb:Query table:connections/index/roomMembers', // ConnectionsStore.namedMembers (welcome)
    'dynamodb:Query table:messages', // HistoryStore.page (welcome, history)
    'dynamodb:GetItem table:botAnswers', // AnswerRequests.isAnswer (a reply to an answer asks the bot), refused stops
    'dynamodb:UpdateItem table:botAnswers', // AnswerRequests.requestStop (conditional)
    'kinesis:PutRecord stream:events', // EventBus.publish (messages, drafts)
    POST_TO_CONNECTION, // ConnectionPoster.post (welcome, history, errors)
    ...logsOf('message'),
  ],
  fanout: [
    'dynamodb:Query table:connections/index/byRoom', // ConnectionsStore.listRoom
    'dynamodb:DeleteItem table:connections', // removeGone
    'dynamodb:UpdateItem table:connections', // NameClaims.release of a gone connection
    'dynamodb:PutItem table:messages', // HistoryStore.save
    'kinesis:PutRecord stream:events', // EventBus.publish (a gone connection's leave)
    POST_TO_CONNECTION, // ConnectionPoster.post
    ...consumerOf('fanout'),
    ...logsOf('fanout'),
  ],
  bot: [
    'dynamodb:Query table:messages', // HistoryStore.page (the conversation)
    'dynamodb:UpdateItem table:botBudget', // AnswerBudget.increment
    'dynamodb:GetItem table:botAnswers', // AnswerClaims.stopRequested (while an answer streams)
    'dynamodb:BatchGetItem table:botAnswers', // AnswerClaims.read
    'dynamodb:PutItem table:botAnswers', // AnswerClaims.claim (conditional)
    'dynamodb:UpdateItem table:botAnswers', // AnswerClaims.finish / decline, closing a cut answer
    'dynamodb:Query table:botAnswers/index/openAnswers', // AnswerClaims: answers still open, to close abandoned ones
    'kinesis:PutRecord stream:events', // AnswerPublisher (answer frames), budget notices
    // BedrockTarget (ConverseStream) through the default cross-region profile, TitanEmbedder (InvokeModel).
    'bedrock:InvokeModelWithResponseStream arn:<AWS::Partition>:bedrock:*::foundation-model/amazon.nova-lite-v1:0',
    'bedrock:InvokeModelWithResponseStream arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:inference-profile/us.amazon.nova-lite-v1:0',
    'bedrock:InvokeModel arn:<AWS::Partition>:bedrock:<AWS::Region>::foundation-model/amazon.titan-embed-text-v2:0',
    ...consumerOf('bot'),
    ...logsOf('bot'),
  ],
};

test.each(Object.keys(FUNCTIONS) as FunctionName[])('%s is allowed exactly the calls its code makes', (name) => {
  expect(allowed(name)).toStrictEqual([...EXPECTED[name]].sort());
});

test.each(Object.keys(FUNCTIONS) as FunctionName[])(
  "%s's table and stream grants are exactly what topology.ts declares",
  (name) => {
    const spec = FUNCTIONS[name];
    const declared = [
      ...(Object.entries(spec.tables) as [TableName, TableAccess][]).flatMap(([table, access]) => [
        ...access.actions.map((action) => `${action} table:${table}`),
        ...(access.queriesIndexes ?? []).map((index) => `dynamodb:Query table:${table}/index/${index}`),
      ]),
      ...spec.writesTo.flatMap((stream) => STREAM_WRITE_ACTIONS.map((action) => `${action} stream:${stream}`)),
    ].sort();
    const granted = allowed(name).filter(
      (pair) => pair.startsWith('dynamodb:') || (pair.startsWith('kinesis:PutRecord') && !pair.includes('consumer:')),
    );
    expect(granted).toStrictEqual(declared);
  },
);

test('no function may Scan, batch-write or delete a table it only needs to read or append to', () => {
  const everything = (Object.keys(FUNCTIONS) as FunctionName[]).flatMap(allowed);
  expect(everything.filter((pair) => /dynamodb:(Scan|BatchWrite|DescribeTable|ConditionCheck)/.test(pair))).toStrictEqual([]);
  expect(everything.filter((pair) => /dynamodb:(DeleteItem|UpdateItem) table:messages/.test(pair))).toStrictEqual([]);
});

test('a function naming an index its table does not declare fails at synth time', () => {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'BadIndex');
  // The types reject an unknown index already; a plain-data spec (e.g. built at runtime) is checked again at synth.
  const tables = { connections: { actions: [], queriesIndexes: ['byName'] } } as unknown as FunctionSpec['tables'];
  expect(
    () =>
      new ChatFunction(stack, 'Fanout', {
        name: 'fanout',
        spec: { ...FUNCTIONS.fanout, tables, manageConnections: false },
        description: FUNCTION_DESCRIPTIONS.fanout,
        tables: new ChatTables(stack, 'Tables').tables,
        streams: new ChatBus(stack, 'Bus').streams,
        settings: Object.fromEntries(Object.entries(SETTINGS).map(([name, spec]) => [name, spec.defaultValue])) as Record<SettingName, string>,
      }),
  ).toThrow(new Error('Function fanout queries connections index byName, which topology TABLES does not declare'));
});
