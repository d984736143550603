import { FUNCTIONS } from '../../contract';
import { asArray, logicalIdOf, ref, statementsOfRole, synthesizeChat, type SynthesizedChat } from './chat-stack-fixture';

/** The bot's slice of the stack: its filtered, parallel event source mapping and exactly the permissions it needs. */

const bedrockActions = (chat: SynthesizedChat) =>
  statementsOfRole(chat.template, logicalIdOf(chat.stack.functions.bot!.role)).filter((statement) =>
    asArray(statement.Action).some((action) => String(action).startsWith('bedrock:')),
  );

describe('by default', () => {
  let chat: SynthesizedChat;
  beforeAll(() => {
    chat = synthesizeChat();
  });

  test('the mapping delivers only people\'s messages that ask the bot, ten rooms at a time, through its own consumer', () => {
    chat.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(chat.stack.functions.bot!.function),
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ data: { frame: { type: ['user'] }, askBot: [true] } }) }] },
      ParallelizationFactor: 10,
      MaximumRecordAgeInSeconds: FUNCTIONS.bot.consumes.maxRecordAgeSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('it may stream from the configured model only, and embed with Titan only', () => {
    expect(bedrockActions(chat)).toStrictEqual([
      {
        Effect: 'Allow',
        Action: 'bedrock:InvokeModelWithResponseStream',
        Resource: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':inference-profile/us.amazon.nova-lite-v1:0']] },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*::foundation-model/amazon.nova-lite-v1:0']] },
        ],
      },
      {
        Effect: 'Allow',
        Action: 'bedrock:InvokeModel',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, '::foundation-model/amazon.titan-embed-text-v2:0']] },
      },
    ]);
  });

  test('it reads no secret when none is configured', () => {
    const statements = statementsOfRole(chat.template, logicalIdOf(chat.stack.functions.bot!.role));
    expect(statements.filter((statement) => asArray(statement.Action).some((action) => String(action).startsWith('secretsmanager:')))).toStrictEqual([]);
  });

  test('its claims table expires items by TTL and indexes only open answers, and only the bot and the message function (replies, stops) may touch it', () => {
    const table = chat.template.toJSON().Resources[logicalIdOf(chat.stack.tables.tables.botAnswers)];
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'questionId', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'openAnswers',
          KeySchema: [
            { AttributeName: 'open', KeyType: 'HASH' },
            { AttributeName: 'claimedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['answerId', 'replyTo', 'room'] },
        },
      ],
    });
    const tableId = logicalIdOf(chat.stack.tables.tables.botAnswers);
    for (const [name, fn] of Object.entries(chat.stack.functions)) {
      const touches = JSON.stringify(statementsOfRole(chat.template, logicalIdOf(fn!.role))).includes(tableId);
      expect({ name, touches }).toStrictEqual({ name, touches: name === 'bot' || name === 'message' });
    }
  });

  test('no other function may call Bedrock', () => {
    for (const [name, chatFunction] of Object.entries(chat.stack.functions)) {
      if (name === 'bot') continue;
      const statements = statementsOfRole(chat.template, logicalIdOf(chatFunction.role));
      expect(statements.filter((statement) => asArray(statement.Action).some((action) => String(action).startsWith('bedrock:')))).toStrictEqual([]);
    }
  });
});

describe('configured for a foundation model, a llama key and a Pinecone key', () => {
  let chat: SynthesizedChat;
  beforeAll(() => {
    chat = synthesizeChat({
      context: {
        bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        llamaApiKeySecret: 'chat/llama-key',
        pineconeApiKeySecret: 'chat/pinecone-key',
        pineconeIndexHost: 'chat-abc123.svc.aped-4627-b74a.pinecone.io',
        botTargets: 'llama,bedrock',
        llamaUrl: 'http://100.101.102.6:8080',
      },
    });
  });

  test('the model grant is that model in the stack region, nothing cross-region', () => {
    expect(bedrockActions(chat)[0]).toStrictEqual({
      Effect: 'Allow',
      Action: 'bedrock:InvokeModelWithResponseStream',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, '::foundation-model/anthropic.claude-3-haiku-20240307-v1:0']] },
    });
  });

  test('it may read exactly the two secrets, by name', () => {
    const statements = statementsOfRole(chat.template, logicalIdOf(chat.stack.functions.bot!.role)).filter((statement) =>
      asArray(statement.Action).includes('secretsmanager:GetSecretValue'),
    );
    const resources = statements.flatMap((statement) => asArray(statement.Resource)).map((resource) => JSON.stringify(resource));

    expect(resources).toHaveLength(2);
    expect(resources.some((resource) => resource.includes(':secret:chat/llama-key-??????'))).toBe(true);
    expect(resources.some((resource) => resource.includes(':secret:chat/pinecone-key-??????'))).toBe(true);
  });

  test('the function gets the chain and the index, and the key secrets by name only', () => {
    const variables = chat.template.toJSON().Resources[logicalIdOf(chat.stack.functions.bot!.function)].Properties.Environment.Variables;
    expect(variables).toMatchObject({
      BOT_TARGETS: 'llama,bedrock',
      LLAMA_URL: 'http://100.101.102.6:8080',
      LLAMA_API_KEY_SECRET: 'chat/llama-key',
      PINECONE_INDEX_HOST: 'chat-abc123.svc.aped-4627-b74a.pinecone.io',
      PINECONE_API_KEY_SECRET: 'chat/pinecone-key',
      EMBEDDER: 'titan',
    });
    expect(Object.keys(variables).filter((key) => key.endsWith('_API_KEY'))).toStrictEqual([]);
  });
});

test('an invalid chain is refused before synthesis, with a clear message', () => {
  expect(() => synthesizeChat({ context: { botTargets: 'llama,gpt5' } })).toThrow(/botTargets/);
});
