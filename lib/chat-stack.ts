import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ChatAlarms } from './chat-alarms';
import { ChatApi } from './chat-api';
import { ChatBus } from './chat-bus';
import { readChatConfig, type ChatConfig } from './chat-config';
import { ChatDashboard } from './chat-dashboard';
import { ChatFunction } from './chat-function';
import { ChatStreamConsumer } from './chat-stream-consumer';
import { ChatTables } from './chat-tables';
import { ChatWeb } from './chat-web';
import { FailedEventsQueue } from './failed-events-queue';
import { pascalCase } from './names';
import { sendsLlamaTraffic } from './tailscale-config';
import { TailscaleFunctionImage } from './tailscale-function-image';
import {
  consumersOf,
  FUNCTION_DESCRIPTIONS,
  FUNCTIONS,
  STREAM_DESCRIPTIONS,
  STREAMS,
  TABLE_DESCRIPTIONS,
  TABLES,
  type FunctionName,
  type FunctionSpec,
  type StreamName,
  type TableName,
} from '../contract';

/** Props of `ChatStack`. */
export interface ChatStackProps extends StackProps {
  /**
   * Validated deploy-time configuration.
   * @default - read from the CDK context with `readChatConfig`
   */
  readonly config?: ChatConfig;
}

/**
 * The whole chat backend, generated from topology.ts: tables, the event stream, the WebSocket API and one Lambda per
 * `FUNCTIONS` entry with its routes, stream consumer, environment and grants. Nothing here lists routes, functions or
 * tables by hand.
 */
export class ChatStack extends Stack {
  public readonly tables: ChatTables;
  public readonly bus: ChatBus;
  public readonly api: ChatApi;
  public readonly failedEvents: FailedEventsQueue;
  public readonly web: ChatWeb;
  public readonly functions: Readonly<Record<string, ChatFunction>>;
  public readonly alarms: ChatAlarms;
  public readonly dashboard: ChatDashboard;

  constructor(scope: Construct, id: string, props: ChatStackProps = {}) {
    const { config: givenConfig, ...stackProps } = props;
    super(scope, id, {
      description: 'Serverless real-time chat: API Gateway WebSocket, Lambda, Kinesis, DynamoDB',
      ...stackProps,
    });
    const config = givenConfig ?? readChatConfig(this.node);

    this.tables = new ChatTables(this, 'Tables');
    this.bus = new ChatBus(this, 'Bus');
    this.api = new ChatApi(this, 'Api', {
      stageName: config.stageName,
      configureApiGatewayAccount: config.configureApiGatewayAccount,
    });
    this.failedEvents = new FailedEventsQueue(this, 'FailedEvents');
    this.web = new ChatWeb(this, 'Web', { webSocketUrl: this.api.stage.url });
    // The handshake's Origin allow-list defaults to the page's CloudFront origin when none is configured.
    const settings = { ...config.settings, allowedOrigins: config.settings.allowedOrigins || this.web.origin };

    const functions: Record<string, ChatFunction> = {};
    for (const [name, spec] of Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][]) {
      // With Tailscale on, the function that calls the llama server runs as a container image with tailscaled.
      const tailscale =
        config.tailscale && sendsLlamaTraffic(spec)
          ? new TailscaleFunctionImage(this, `${pascalCase(name)}Tailscale`, { spec, config: config.tailscale })
          : undefined;
      const chatFunction = new ChatFunction(this, pascalCase(name), {
        name,
        spec,
        description: FUNCTION_DESCRIPTIONS[name],
        tables: this.tables.tables,
        streams: this.bus.streams,
        settings: tailscale ? { ...settings, llamaProxyUrl: tailscale.proxyUrl } : settings,
        stage: spec.manageConnections ? this.api.stage : undefined,
        image: tailscale?.code,
      });
      tailscale?.connect(chatFunction);
      this.api.addRoutes(name, chatFunction.function, spec.routes);
      if (spec.consumes) {
        new ChatStreamConsumer(chatFunction, 'StreamConsumer', {
          name,
          spec: spec.consumes,
          stream: this.bus.streams[spec.consumes.stream],
          handler: chatFunction.function,
          onFailure: this.failedEvents.queue,
        });
      }
      functions[name] = chatFunction;
    }
    this.functions = functions;

    const lambdas = Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, fn.function]));
    this.alarms = new ChatAlarms(this, 'Alarms', {
      functions: lambdas,
      stage: this.api.stage,
      failedEvents: this.failedEvents.queue,
      topic: config.alarmTopic,
      email: config.alarmEmail,
    });
    this.dashboard = new ChatDashboard(this, 'Dashboard', {
      functions: lambdas,
      stage: this.api.stage,
      failedEvents: this.failedEvents.queue,
      alarms: this.alarms.alarms,
    });

    this.addOutputs();
  }

  /** Every output says what it is for; `npm run docs` lists them in README.md and docs/deploy.md. */
  private addOutputs(): void {
    new CfnOutput(this, 'PageUrl', {
      description:
        'The chat page on CloudFront: open <url>?room=lobby&name=ada. Its bucket and the access-log bucket are retained when the stack is deleted.',
      value: this.web.pageUrl,
    });
    new CfnOutput(this, 'WebSocketUrl', {
      description:
        'wss://{api}.execute-api.{region}.amazonaws.com/{stage}: what clients (the page, wscat) connect to, e.g. wscat -c "<url>?room=lobby&name=ada".',
      value: this.api.stage.url,
    });
    new CfnOutput(this, 'ManagementApiUrl', {
      description:
        'https://{api}.execute-api.{region}.amazonaws.com/{stage}: the @connections API the functions post to and disconnect through (their MANAGEMENT_API_URL).',
      value: this.api.stage.callbackUrl,
    });
    for (const [name, stream] of Object.entries(this.bus.streams) as [StreamName, ChatBus['streams'][StreamName]][]) {
      const spec = STREAMS[name];
      new CfnOutput(this, `${pascalCase(name)}StreamName`, {
        description:
          `Kinesis stream "${name}" (${spec.shardCount} shard, ${spec.retentionHours} h retention). ${STREAM_DESCRIPTIONS[name]} ` +
          `Consumed by ${consumersOf(name)
            .map((consumer) => `${consumer}${(FUNCTIONS[consumer] as FunctionSpec).consumes?.enhancedFanOut ? ' (enhanced fan-out)' : ''}`)
            .join(' and ')}.`,
        value: stream.streamName,
      });
    }
    for (const [name, table] of Object.entries(this.tables.tables) as [TableName, ChatTables['tables'][TableName]][]) {
      const spec = TABLES[name];
      new CfnOutput(this, `${pascalCase(name)}TableName`, {
        description:
          `DynamoDB table "${name}". ${TABLE_DESCRIPTIONS[name]}` +
          (spec.pointInTimeRecovery ? ' Point-in-time recovery on; retained when the stack is deleted.' : ''),
        value: table.tableName,
      });
    }
    new CfnOutput(this, 'DashboardUrl', {
      description: 'The CloudWatch dashboard of the chat: alarms, traffic, the room, the bot, the functions (docs/operations.md).',
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.dashboard.dashboard.dashboardName}`,
    });
    if (this.alarms.topic) {
      new CfnOutput(this, 'AlarmTopicArn', {
        description:
          'SNS topic every alarm notifies, in alarm and back to OK (context alarmTopic); subscribe email with context alarmEmail, or anything else to the topic.',
        value: this.alarms.topic.topicArn,
      });
    }
    new CfnOutput(this, 'FailedEventsQueueUrl', {
      description:
        'SQS queue where Lambda reports stream batches that failed after all retries (shard id and sequence-number range, to re-read them while the stream retains them). Should stay empty: anything here is worth an alarm.',
      value: this.failedEvents.queue.queueUrl,
    });
  }
}
