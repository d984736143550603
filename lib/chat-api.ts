import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiGatewayAccountLogging } from './api-gateway-account-logging';
import { pascalCase } from './names';
import { API, type RouteKey } from '../contract';

/** Props of `ChatApi`. */
export interface ChatApiProps {
  /**
   * Stage name: the last path segment of the WebSocket URL and of the management API URL.
   * @default API.defaultStageName
   */
  readonly stageName?: string;
  /**
   * Default route throttling of the stage (every route shares it).
   * @default - burst 500 requests, steady rate 1000 requests per second
   */
  readonly throttle?: apigwv2.ThrottleSettings;
  /**
   * Retention of the stage's access log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Whether to set the regional API Gateway account's CloudWatch Logs role (see `ApiGatewayAccountLogging`). Turn off
   * when the account already has one managed elsewhere.
   * @default true
   */
  readonly configureApiGatewayAccount?: boolean;
}

/**
 * The WebSocket API (route selection from topology `API`), its auto-deployed, throttled, access-logged stage, and one
 * Lambda integration per function, attached to the routes the topology gives that function.
 */
export class ChatApi extends Construct {
  public readonly api: apigwv2.WebSocketApi;
  public readonly stage: apigwv2.WebSocketStage;
  public readonly accessLogGroup: logs.LogGroup;
  private readonly routeOwners = new Map<RouteKey, string>();

  constructor(scope: Construct, id: string, props: ChatApiProps = {}) {
    super(scope, id);
    this.api = new apigwv2.WebSocketApi(this, 'WebSocketApi', {
      apiName: Stack.of(this).stackName,
      description: 'Public real-time chat rooms',
      routeSelectionExpression: API.routeSelectionExpression,
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: props.stageName ?? API.defaultStageName,
      autoDeploy: true,
      throttle: props.throttle ?? { burstLimit: 500, rateLimit: 1000 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            eventType: '$context.eventType',
            routeKey: '$context.routeKey',
            connectionId: '$context.connectionId',
            status: '$context.status',
            sourceIp: '$context.identity.sourceIp',
            error: '$context.error.message',
            integrationError: '$context.integration.error',
          }),
        ),
      },
    });
    if (props.configureApiGatewayAccount ?? true) {
      const accountLogging = new ApiGatewayAccountLogging(this, 'AccountLogging');
      this.stage.node.addDependency(accountLogging.account);
    }
  }

  /**
   * Routes `routes` to `handler` through one Lambda proxy integration named after the function. Each route gets its
   * own invoke permission, scoped to that route. A route claimed by two functions is an error.
   */
  public addRoutes(functionName: string, handler: lambda.IFunction, routes: readonly RouteKey[]): void {
    if (routes.length === 0) return;
    // Never name an integration 'Default': CDK drops that path segment and logical ids collide.
    const integration = new WebSocketLambdaIntegration(`${pascalCase(functionName)}Integration`, handler);
    for (const routeKey of routes) {
      const owner = this.routeOwners.get(routeKey);
      if (owner !== undefined) {
        throw new Error(`Route ${routeKey} is claimed by both ${owner} and ${functionName} in topology FUNCTIONS`);
      }
      this.routeOwners.set(routeKey, functionName);
      const route = this.api.addRoute(routeKey, { integration });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          routeKey === '$connect'
            ? 'Anonymous public chat by design: anyone may join a room under a display name. The $connect Lambda ' +
              'validates room, name and Origin (ALLOWED_ORIGINS) and rejects the handshake otherwise; stage ' +
              'throttling bounds abuse.'
            : `API Gateway WebSocket APIs authorize only on $connect; ${routeKey} runs on a connection that ` +
              '$connect already accepted, and its Lambda validates every frame.',
      });
    }
  }
}
