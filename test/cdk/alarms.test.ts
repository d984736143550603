// Nobody has to watch: the stack alarms on stream lag, failed batches, function errors and throttles, API Gateway
// errors and bot budget exhaustion, notifies one SNS topic, and charts it all on one dashboard. docs/operations.md
// explains every alarm.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { ALARM_RULES, type AlarmRuleName } from '../../lib/chat-alarms';
import { FUNCTION_DESCRIPTIONS, FUNCTIONS, METRICS, METRICS_NAMESPACE } from '../../contract';
import { getAtt, logicalIdOf, ref, synthesizeChat, type SynthesizedChat } from './chat-stack-fixture';

let chat: SynthesizedChat;
let alarms: Record<string, { Properties: Record<string, unknown> }>;
beforeAll(() => {
  chat = synthesizeChat({ context: { alarmEmail: 'ops@example.com' } });
  alarms = chat.template.findResources('AWS::CloudWatch::Alarm') as typeof alarms;
});

const functionNames = Object.keys(FUNCTIONS);
const alarmOf = (id: string) => {
  const alarm = chat.stack.alarms.node.findChild(id);
  return alarms[logicalIdOf(alarm)]?.Properties;
};
const rule = (name: AlarmRuleName) => {
  const { statistic, periodMinutes, evaluationPeriods, threshold } = ALARM_RULES[name];
  return {
    Statistic: statistic,
    Period: periodMinutes * 60,
    EvaluationPeriods: evaluationPeriods,
    Threshold: threshold,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
  };
};

test('one alarm per rule and stream consumer, and errors and throttles for every function', () => {
  chat.template.resourceCountIs('AWS::CloudWatch::Alarm', 2 + 1 + 2 * functionNames.length + 2 + 1);
});

test.each([
  ['FanoutIteratorAge', 'fanoutIteratorAge', 'fanout'],
  ['BotIteratorAge', 'botIteratorAge', 'bot'],
] as const)('%s watches the iterator age of its consumer', (id, ruleName, fn) => {
  expect(alarmOf(id)).toMatchObject({
    Namespace: 'AWS/Lambda',
    MetricName: 'IteratorAge',
    Dimensions: [{ Name: 'FunctionName', Value: ref(chat.stack.functions[fn].function) }],
    ...rule(ruleName),
  });
});

test('the failed-events queue alarms on its first visible message', () => {
  expect(alarmOf('FailedEvents')).toMatchObject({
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: getAtt(chat.stack.failedEvents.queue, 'QueueName') }],
    ...rule('failedEvents'),
  });
  expect(ALARM_RULES.failedEvents.threshold).toBe(1);
});

test.each(functionNames)('the %s function has an errors and a throttles alarm', (name) => {
  const id = name.charAt(0).toUpperCase() + name.slice(1);
  const dimensions = [{ Name: 'FunctionName', Value: ref(chat.stack.functions[name].function) }];
  expect(alarmOf(`${id}Errors`)).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dimensions, ...rule('functionErrors') });
  expect(alarmOf(`${id}Throttles`)).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: dimensions, ...rule('functionThrottles') });
});

test.each([
  ['ApiExecutionErrors', 'ExecutionError', 'apiExecutionErrors'],
  ['ApiClientErrors', 'ClientError', 'apiClientErrors'],
] as const)('%s watches the stage metric %s', (id, metric, ruleName) => {
  expect(alarmOf(id)).toMatchObject({
    Namespace: 'AWS/ApiGateway',
    MetricName: metric,
    Dimensions: [
      { Name: 'ApiId', Value: ref(chat.stack.api.api) },
      { Name: 'Stage', Value: 'prod' },
    ],
    ...rule(ruleName),
  });
});

test("budget exhaustion alarms on the bot's own metric, by the name and service the contract gives it", () => {
  expect(alarmOf('BotBudgetExhausted')).toMatchObject({
    Namespace: METRICS_NAMESPACE,
    MetricName: METRICS.budgetExhausted.name,
    Dimensions: [{ Name: 'service', Value: 'chat-bot' }],
    ...rule('botBudgetExhausted'),
  });
  // The same service name the bot's Powertools metrics carry (its POWERTOOLS_SERVICE_NAME).
  chat.template.hasResourceProperties('AWS::Lambda::Function', {
    Description: FUNCTION_DESCRIPTIONS.bot,
    Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'chat-bot', POWERTOOLS_METRICS_DISABLED: 'false' }) },
  });
});

test('every alarm notifies the topic in alarm and back to OK, and the email is subscribed', () => {
  const topic = ref(chat.stack.alarms.topic as NonNullable<typeof chat.stack.alarms.topic>);
  for (const alarm of Object.values(alarms)) {
    expect([alarm.Properties.AlarmActions, alarm.Properties.OKActions]).toStrictEqual([[topic], [topic]]);
  }
  chat.template.resourceCountIs('AWS::SNS::Topic', 1);
  chat.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: topic });
});

test('without the topic, alarms have no actions; an email without a topic is refused', () => {
  const quiet = synthesizeChat({ context: { alarmTopic: 'false' } });
  quiet.template.resourceCountIs('AWS::SNS::Topic', 0);
  for (const alarm of Object.values(quiet.template.findResources('AWS::CloudWatch::Alarm'))) {
    expect(alarm.Properties.AlarmActions).toBeUndefined();
  }
  expect(() => synthesizeChat({ context: { alarmTopic: 'false', alarmEmail: 'ops@example.com' } })).toThrow(
    /alarmEmail: got "ops@example.com", expected "" when alarmTopic=false/,
  );
  expect(() => synthesizeChat({ context: { alarmEmail: 'not-an-address' } })).toThrow(/alarmEmail/);
});

test('one dashboard charts the alarms, the API, the functions and every metric the functions emit', () => {
  chat.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  const [dashboard] = Object.values(chat.template.findResources('AWS::CloudWatch::Dashboard'));
  const body = JSON.stringify(dashboard?.Properties.DashboardBody);
  for (const metric of Object.values(METRICS)) expect(body).toContain(`\\"${metric.name}\\"`);
  for (const metric of ['MessageCount', 'ClientError', 'ExecutionError', 'IntegrationError', 'IteratorAge', 'Throttles', 'ApproximateNumberOfMessagesVisible']) {
    expect(body).toContain(`\\"${metric}\\"`);
  }
  expect(body).toContain('\\"alarm\\"');
});

test('docs/operations.md explains every alarm rule: its threshold, meaning and what to do', () => {
  const doc = readFileSync(path.join(__dirname, '../../docs/operations.md'), 'utf8');
  for (const [name, { threshold }] of Object.entries(ALARM_RULES)) {
    const section = doc.split(/^### /m).find((part) => part.startsWith(name));
    expect({ name, documented: section !== undefined }).toStrictEqual({ name, documented: true });
    expect(section).toContain(threshold.toLocaleString('en-US'));
    expect(section).toMatch(/What to do/);
  }
});
