// Deploy-time configuration: CDK context is read once, defaulted, validated with messages that name the key and say
// what is expected, and reaches the template.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readChatConfig } from '../../lib/chat-config';
import { ChatConfigError } from '../../lib/chat-config-error';
import { ChatStack } from '../../lib/chat-stack';
import { SETTINGS } from '../../contract';
import { getAtt, logicalIdOf, synthesizeChat, type SynthesizedChat } from './chat-stack-fixture';

const ROOT = path.resolve(__dirname, '..', '..');
const TOPOLOGY_DEFAULTS = Object.fromEntries(
  Object.entries(SETTINGS).map(([name, setting]) => [name, setting.defaultValue]),
);
const configFrom = (context: Record<string, unknown>) => readChatConfig(new App({ context }).node);
const problemsOf = (context: Record<string, unknown>): readonly string[] => {
  try {
    configFrom(context);
  } catch (error) {
    if (error instanceof ChatConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ChatConfigError');
};

const ORIGINS_EXPECTED =
  'a comma-separated list of origins like https://chat.example.com,http://localhost:5173 (scheme://host[:port], no path, no trailing slash), or an empty string to allow any';
const TTL_EXPECTED = 'a whole number of days from 0 to 36500 (0 keeps history forever)';
const LOG_LEVEL_EXPECTED = 'one of DEBUG, INFO, WARN, ERROR';
const STACK_NAME_EXPECTED = 'a CloudFormation stack name: a letter, then letters, digits or hyphens, at most 128 characters';
const STAGE_EXPECTED =
  'an API Gateway stage name: letters, digits or underscores ([A-Za-z0-9_]+), at most 128 characters';

describe('readChatConfig', () => {
  test('applies the topology defaults when the context is empty', () => {
    expect(configFrom({})).toStrictEqual({
      stackName: 'ServerlessChat',
      stageName: 'prod',
      configureApiGatewayAccount: true,
      alarmTopic: true,
      settings: TOPOLOGY_DEFAULTS,
    });
    expect(TOPOLOGY_DEFAULTS).toMatchObject({ allowedOrigins: '', historyTtlDays: '30', logLevel: 'INFO' });
  });

  test('takes every value from context, numbers and booleans as cdk.json gives them', () => {
    expect(
      configFrom({
        stackName: 'Chat-dev',
        stageName: 'dev_1',
        configureApiGatewayAccount: false,
        allowedOrigins: 'https://chat.example.com, http://localhost:5173',
        historyTtlDays: 0,
        logLevel: 'DEBUG',
      }),
    ).toStrictEqual({
      stackName: 'Chat-dev',
      stageName: 'dev_1',
      configureApiGatewayAccount: false,
      alarmTopic: true,
      settings: {
        ...TOPOLOGY_DEFAULTS,
        allowedOrigins: 'https://chat.example.com, http://localhost:5173',
        historyTtlDays: '0',
        logLevel: 'DEBUG',
      },
    });
  });

  test.each([
    ['historyTtlDays', '-1', TTL_EXPECTED],
    ['historyTtlDays', '1.5', TTL_EXPECTED],
    ['historyTtlDays', 'thirty', TTL_EXPECTED],
    ['historyTtlDays', '007', TTL_EXPECTED],
    ['historyTtlDays', '36501', TTL_EXPECTED],
    ['fanoutConcurrency', '0', 'a whole number from 1 to 256'],
    ['fanoutConcurrency', '257', 'a whole number from 1 to 256'],
    ['logLevel', 'debug', LOG_LEVEL_EXPECTED],
    ['logLevel', 'TRACE', LOG_LEVEL_EXPECTED],
    ['stageName', 'my-stage', STAGE_EXPECTED],
    ['stageName', '', STAGE_EXPECTED],
    ['allowedOrigins', 'https://chat.example.com/', ORIGINS_EXPECTED],
    ['allowedOrigins', 'chat.example.com', ORIGINS_EXPECTED],
    ['allowedOrigins', 'https://chat.example.com/path', ORIGINS_EXPECTED],
    ['allowedOrigins', 'ftp://chat.example.com', ORIGINS_EXPECTED],
    ['stackName', '1chat', STACK_NAME_EXPECTED],
    ['configureApiGatewayAccount', 'yes', 'true or false'],
  ])('rejects %s=%j', (key, value, expected) => {
    expect(problemsOf({ [key]: value })).toStrictEqual([`${key}: got ${JSON.stringify(value)}, expected ${expected}`]);
  });

  test('rejects a structured value', () => {
    expect(problemsOf({ logLevel: ['INFO'] })).toStrictEqual([
      `logLevel: got ["INFO"], expected ${LOG_LEVEL_EXPECTED}`,
    ]);
  });

  test('reports every problem at once in one readable message', () => {
    expect(() => configFrom({ historyTtlDays: '-1', logLevel: 'verbose', stageName: 'v1.0' })).toThrow(
      new ChatConfigError([
        `stageName: got "v1.0", expected ${STAGE_EXPECTED}`,
        `historyTtlDays: got "-1", expected ${TTL_EXPECTED}`,
        `logLevel: got "verbose", expected ${LOG_LEVEL_EXPECTED}`,
      ]),
    );
    expect(new ChatConfigError(['a: got "1", expected 2', 'b: got "3", expected 4']).message).toBe(
      'Invalid CDK context:\n  - a: got "1", expected 2\n  - b: got "3", expected 4',
    );
  });

  test('a ChatStack built from invalid context fails before producing anything', () => {
    const app = new App({ context: { logLevel: 'LOUD', 'aws:cdk:bundling-stacks': [] } });
    expect(() => new ChatStack(app, 'Invalid')).toThrow(
      new ChatConfigError([`logLevel: got "LOUD", expected ${LOG_LEVEL_EXPECTED}`]),
    );
  });
});

describe('context reaches the template', () => {
  let chat: SynthesizedChat;
  beforeAll(() => {
    chat = synthesizeChat({
      context: {
        stageName: 'dev',
        historyTtlDays: '7',
        logLevel: 'DEBUG',
        allowedOrigins: 'https://chat.example.com',
        configureApiGatewayAccount: 'false',
      },
    });
  });

  test('settings become function environment values', () => {
    const variablesOf = (name: 'connect' | 'fanout') =>
      chat.template.toJSON().Resources[logicalIdOf(chat.stack.functions[name].function)].Properties.Environment
        .Variables;
    expect([variablesOf('fanout').HISTORY_TTL_DAYS, variablesOf('fanout').LOG_LEVEL]).toStrictEqual(['7', 'DEBUG']);
    expect([variablesOf('connect').ALLOWED_ORIGINS, variablesOf('connect').LOG_LEVEL]).toStrictEqual([
      'https://chat.example.com',
      'DEBUG',
    ]);
  });

  test('the stage name shapes the stage, the management URL and the @connections grant', () => {
    chat.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: 'dev' });
    const fanout = chat.template.toJSON().Resources[logicalIdOf(chat.stack.functions.fanout.function)];
    expect(fanout.Properties.Environment.Variables.MANAGEMENT_API_URL['Fn::Join'][1].at(-1)).toBe('/dev');
    expect(JSON.stringify(chat.template.findResources('AWS::IAM::Policy'))).toContain('/dev/POST/@connections/*');
  });

  test('configureApiGatewayAccount=false leaves the account setting alone and still passes cdk-nag', () => {
    chat.template.resourceCountIs('AWS::ApiGateway::Account', 0);
    const [stage] = Object.values(chat.template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stage.DependsOn).toBeUndefined();
    expect(new AwsSolutionsChecks().validateScope(chat.stack)).toStrictEqual({ success: true, violations: [] });
    expect(stage.Properties.AccessLogSettings.DestinationArn).toStrictEqual(
      getAtt(chat.stack.api.accessLogGroup, 'Arn'),
    );
  });
});

describe('bin/chat.ts', () => {
  const runApp = (context: Record<string, unknown>, outdir: string) =>
    spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/chat.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      // CDK_VALIDATION=false skips only the built-in CloudFormation schema check (seconds); cdk-nag still runs.
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir, CDK_VALIDATION: 'false' },
    });
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-cdk-'));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('exits 1 with only the problem list on invalid context', () => {
    const result = runApp({ historyTtlDays: 'forever' }, outdir);
    expect([result.status, result.stderr]).toStrictEqual([
      1,
      `Invalid CDK context:\n  - historyTtlDays: got "forever", expected ${TTL_EXPECTED}\n`,
    ]);
  });

  test('synthesizes the stack under the stackName from context', () => {
    const result = runApp({ stackName: 'Chat-ci', 'aws:cdk:bundling-stacks': [] }, outdir);
    expect(result.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts['Chat-ci'].properties.templateFile).toBe('Chat-ci.template.json');
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'Chat-ci.template.json'), 'utf8'));
    const [api] = Object.values(template.Resources as Record<string, { Type: string; Properties: { Name: string } }>)
      .filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.Name).toBe('Chat-ci');
  });
});
