import type { Node } from 'constructs';
import {
  collectSettings,
  collectStackSettings,
  SETTINGS,
  STACK_SETTINGS,
  type SettingName,
  type SettingsSource,
} from '../contract';
import { ChatConfigError } from './chat-config-error';
import { tailscaleProblems, type TailscaleConfig } from './tailscale-config';

/** Deploy-time configuration, validated. Built from CDK context by `readChatConfig`. */
export interface ChatConfig {
  /** CloudFormation stack name (context `stackName`). */
  readonly stackName: string;
  /** API Gateway stage (context `stageName`). */
  readonly stageName: string;
  /**
   * Whether the stack sets the regional API Gateway account's CloudWatch Logs role, which WebSocket access logging
   * requires (context `configureApiGatewayAccount`).
   */
  readonly configureApiGatewayAccount: boolean;
  /** Whether the stack creates the SNS topic its alarms notify (context `alarmTopic`). */
  readonly alarmTopic: boolean;
  /**
   * Email address subscribed to the alarm topic (context `alarmEmail`).
   * @default - none
   */
  readonly alarmEmail?: string;
  /** Every function setting as the text its functions' environment carries, validated (contract `SETTINGS`). */
  readonly settings: Readonly<Record<SettingName, string>>;
  /**
   * Tailscale for the function that calls the llama server (context `tailscale=true` and the `tailscale*` keys).
   * @default - absent: no Tailscale
   */
  readonly tailscale?: TailscaleConfig;
}

/**
 * Reads every context value (`cdk.json` `context` or `-c key=value`) with the contract's reader: defaults applied,
 * each value checked by the validator the functions parse it with. Precedence: `-c` > cdk.json > default. Throws one
 * `ChatConfigError` listing all invalid values.
 */
export function readChatConfig(node: Node): ChatConfig {
  const contextKeys = [...Object.values(STACK_SETTINGS), ...Object.values(SETTINGS)].map((spec) => spec.contextKey);
  const context: SettingsSource = Object.fromEntries(contextKeys.map((key) => [key, node.tryGetContext(key)]));
  const stack = collectStackSettings(context);
  const functions = collectSettings(context, undefined, { keyBy: 'contextKey' });
  const tailscale: TailscaleConfig = {
    authKeySecret: stack.settings.tailscaleAuthKeySecret,
    hostname: stack.settings.tailscaleHostname,
    proxyPort: stack.settings.tailscaleProxyPort,
  };
  const problems = [
    ...stack.problems,
    ...functions.problems,
    ...(stack.settings.tailscale ? tailscaleProblems(tailscale, functions.texts) : []),
    ...(stack.settings.alarmEmail && !stack.settings.alarmTopic
      ? [`alarmEmail: got "${stack.settings.alarmEmail}", expected "" when alarmTopic=false (there is no topic to subscribe it to)`]
      : []),
  ];
  if (problems.length > 0) throw new ChatConfigError(problems);
  return {
    stackName: stack.settings.stackName,
    stageName: stack.settings.stageName,
    configureApiGatewayAccount: stack.settings.configureApiGatewayAccount,
    alarmTopic: stack.settings.alarmTopic,
    ...(stack.settings.alarmEmail ? { alarmEmail: stack.settings.alarmEmail } : {}),
    settings: functions.texts,
    ...(stack.settings.tailscale ? { tailscale } : {}),
  };
}
