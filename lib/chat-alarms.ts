import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pascalCase } from './names';
import { METRICS, METRICS_NAMESPACE, serviceNameOf, type MetricName } from '../contract';

/**
 * Every alarm's rule: the statistic over `periodMinutes`, compared with `threshold` (greater than or equal), in alarm
 * after `evaluationPeriods` such periods in a row. No data is never an alarm: an idle chat emits nothing.
 * docs/operations.md says what each one means and what to do (test/cdk/alarms.test.ts checks it lists them all).
 */
export const ALARM_RULES = {
  /** Fanout is behind the stream: people see messages late. */
  fanoutIteratorAge: { statistic: 'Maximum', periodMinutes: 1, evaluationPeriods: 3, threshold: 10_000 },
  /** The bot is behind: questions older than its maxRecordAgeSeconds (300 s) are dropped unanswered. */
  botIteratorAge: { statistic: 'Maximum', periodMinutes: 1, evaluationPeriods: 3, threshold: 60_000 },
  /** A stream batch exhausted its retries: its events were not delivered (or not answered). */
  failedEvents: { statistic: 'Maximum', periodMinutes: 5, evaluationPeriods: 1, threshold: 1 },
  /** A function threw (each function gets its own alarm). */
  functionErrors: { statistic: 'Sum', periodMinutes: 5, evaluationPeriods: 1, threshold: 5 },
  /** Lambda refused invocations for lack of concurrency (each function gets its own alarm). */
  functionThrottles: { statistic: 'Sum', periodMinutes: 5, evaluationPeriods: 1, threshold: 10 },
  /** API Gateway could not call a function (errors, throttles, timeouts): clients got 5xx. */
  apiExecutionErrors: { statistic: 'Sum', periodMinutes: 5, evaluationPeriods: 1, threshold: 5 },
  /** API Gateway refused messages before any function ran, mostly its own throttling (429). */
  apiClientErrors: { statistic: 'Sum', periodMinutes: 5, evaluationPeriods: 2, threshold: 100 },
  /** The bot turned questions away for budget. */
  botBudgetExhausted: { statistic: 'Sum', periodMinutes: 5, evaluationPeriods: 1, threshold: 10 },
} as const;
export type AlarmRuleName = keyof typeof ALARM_RULES;

/** Props of `ChatAlarms`. */
export interface ChatAlarmsProps {
  /** The chat functions by topology name. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly stage: apigwv2.WebSocketStage;
  readonly failedEvents: sqs.IQueue;
  /**
   * Whether to create an SNS topic that every alarm notifies, in alarm and back to OK.
   * @default true
   */
  readonly topic?: boolean;
  /**
   * Email address subscribed to the topic.
   * @default - none
   */
  readonly email?: string;
}

/** A metric the functions emit (contract/metrics.ts), with its `service` dimension (and `extra`, if any). */
export function chatMetric(name: MetricName, options: cloudwatch.MetricOptions = {}, extra: Record<string, string> = {}): cloudwatch.Metric {
  const spec = METRICS[name];
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: spec.name,
    dimensionsMap: { service: serviceNameOf(spec.emittedBy), ...extra },
    ...options,
  });
}

/**
 * The stack's alarms (ALARM_RULES) and, unless turned off, the SNS topic they notify. The stream consumers' alarms are
 * made for the functions named fanout and bot; errors and throttles for every function.
 */
export class ChatAlarms extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly topic?: sns.Topic;

  constructor(scope: Construct, id: string, props: ChatAlarmsProps) {
    super(scope, id);
    if (props.email && props.topic === false) throw new Error('ChatAlarms: an email needs the topic');
    if (props.topic ?? true) {
      this.topic = new sns.Topic(this, 'Topic', { displayName: 'Chat alarms', enforceSSL: true });
      if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }

    const { fanout, bot } = props.functions;
    if (fanout) this.add('FanoutIteratorAge', 'fanoutIteratorAge', fanout.metric('IteratorAge'), 'Fanout is behind the stream: people see messages late');
    if (bot) this.add('BotIteratorAge', 'botIteratorAge', bot.metric('IteratorAge'), 'The bot is behind the stream: questions may age out unanswered');
    this.add(
      'FailedEvents',
      'failedEvents',
      props.failedEvents.metricApproximateNumberOfMessagesVisible(),
      'A stream batch exhausted its retries: read the failed-events queue',
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${pascalCase(name)}Errors`, 'functionErrors', fn.metricErrors(), `The ${name} function is failing`);
      this.add(`${pascalCase(name)}Throttles`, 'functionThrottles', fn.metricThrottles(), `The ${name} function is throttled`);
    }
    this.add('ApiExecutionErrors', 'apiExecutionErrors', props.stage.metric('ExecutionError'), 'API Gateway cannot call the functions');
    this.add('ApiClientErrors', 'apiClientErrors', props.stage.metric('ClientError'), 'API Gateway refuses messages (throttling)');
    this.add('BotBudgetExhausted', 'botBudgetExhausted', chatMetric('budgetExhausted'), 'The bot turns questions away for budget');
  }

  private add(id: string, rule: AlarmRuleName, metric: cloudwatch.IMetric, description: string): void {
    const { statistic, periodMinutes, evaluationPeriods, threshold } = ALARM_RULES[rule];
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: (metric as cloudwatch.Metric).with({ statistic, period: Duration.minutes(periodMinutes) }),
      threshold,
      evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${description}. Rule ${rule}; what to do: docs/operations.md#${rule.toLowerCase()}`,
    });
    if (this.topic) {
      alarm.addAlarmAction(new SnsAction(this.topic));
      alarm.addOkAction(new SnsAction(this.topic));
    }
    this.alarms.push(alarm);
  }
}
