import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { chatMetric } from './chat-alarms';
import { BOT_TARGET_NAMES, type MetricName } from '../contract';

/** Props of `ChatDashboard`. */
export interface ChatDashboardProps {
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly stage: apigwv2.WebSocketStage;
  readonly failedEvents: sqs.IQueue;
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const PERIOD = Duration.minutes(1);
const WIDTH = 8;

/**
 * One dashboard for the whole chat, top to bottom: alarm states; traffic through API Gateway; the room (messages,
 * posts, refusals); the bot (answers by target, fallbacks, first-token latency, budget); the functions (errors,
 * throttles, duration, stream lag); the failed-events queue.
 */
export class ChatDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ChatDashboardProps) {
    super(scope, id);
    const sum = (name: MetricName, label: string, extra?: Record<string, string>) =>
      chatMetric(name, { statistic: 'Sum', period: PERIOD, label }, extra);
    const fns = Object.entries(props.functions);
    const graph = (title: string, left: cloudwatch.IMetric[], options: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: 6, ...options });
    const api = (metric: string) => props.stage.metric(metric, { statistic: 'Sum', period: PERIOD, label: metric });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-chat`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms (docs/operations.md)', alarms: [...props.alarms], width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      graph('API Gateway messages and connects', [api('MessageCount'), api('ConnectCount')]),
      graph('API Gateway errors', [api('ClientError'), api('ExecutionError'), api('IntegrationError')]),
      graph('Integration latency (p50, p99)', [
        props.stage.metric('IntegrationLatency', { statistic: 'p50', period: PERIOD, label: 'p50' }),
        props.stage.metric('IntegrationLatency', { statistic: 'p99', period: PERIOD, label: 'p99' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Messages accepted and rate limited', [
        sum('messagesAccepted', 'accepted'),
        sum('rateLimited', 'rate limited: messages', { bucket: 'messages' }),
        sum('rateLimited', 'rate limited: drafts', { bucket: 'drafts' }),
      ]),
      graph('Fanout posts', [sum('posts', 'posts')], {
        right: [sum('postFailures', 'failed'), sum('goneConnections', 'gone')],
      }),
      graph('Failed-events queue (should be 0)', [
        props.failedEvents.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: 'visible' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Bot answers by target', [
        ...BOT_TARGET_NAMES.map((target) => sum('answers', target, { target })),
        sum('answersFailed', 'failed'),
        sum('budgetExhausted', 'over budget'),
      ]),
      graph('Bot fallbacks by failing target', BOT_TARGET_NAMES.map((target) => sum('fallbacks', target, { target }))),
      graph('Answer latency to first token (p50, p90)', [
        chatMetric('firstTokenLatency', { statistic: 'p50', period: PERIOD, label: 'p50' }),
        chatMetric('firstTokenLatency', { statistic: 'p90', period: PERIOD, label: 'p90' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Function errors', fns.map(([name, fn]) => fn.metricErrors({ period: PERIOD, label: name }))),
      graph('Function throttles', fns.map(([name, fn]) => fn.metricThrottles({ period: PERIOD, label: name }))),
      graph('Stream lag: iterator age (max)', fns
        .filter(([name]) => name === 'fanout' || name === 'bot')
        .map(([name, fn]) => fn.metric('IteratorAge', { statistic: 'Maximum', period: PERIOD, label: name }))),
    );
    this.dashboard.addWidgets(
      graph('Function duration (p90)', fns.map(([name, fn]) => fn.metricDuration({ statistic: 'p90', period: PERIOD, label: name })), {
        width: 24,
      }),
    );
  }
}
