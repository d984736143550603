/**
 * The stack's own context values: they shape the stack itself, no function receives them. Apart from settings.ts
 * (which every function bundle carries) because only lib/ and the docs generator read them.
 */
import { readValue, type SettingsSource } from './read-settings';
import type { ContextSettingSpec, SettingValue } from './settings';
import { boolean, matching, optionalSecretName, wholeNumber } from './validators';

/** A stack setting: read from CDK context only, described where it is declared. */
export interface StackSettingSpec<T> extends ContextSettingSpec<T> {
  readonly description: string;
}

/** Context values that shape the stack itself rather than a function's environment. */
export const STACK_SETTINGS = {
  stackName: {
    contextKey: 'stackName',
    defaultValue: 'ServerlessChat',
    description: 'CloudFormation stack name. Use a different one per copy.',
    validator: matching(
      /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
      'a CloudFormation stack name: a letter, then letters, digits or hyphens, at most 128 characters',
    ),
  },
  stageName: {
    contextKey: 'stageName',
    defaultValue: 'prod',
    description: 'API Gateway stage: the last path segment of the WebSocket and management URLs.',
    validator: matching(
      /^[A-Za-z0-9_]{1,128}$/,
      'an API Gateway stage name: letters, digits or underscores ([A-Za-z0-9_]+), at most 128 characters',
    ),
  },
  configureApiGatewayAccount: {
    contextKey: 'configureApiGatewayAccount',
    defaultValue: 'true',
    description:
      "Sets this region's API Gateway account setting \"CloudWatch Logs role\", which WebSocket access logging needs. It is account-wide: pass false when it is managed elsewhere or a second copy of this stack is deployed in the same account and region.",
    validator: boolean,
  },
  alarmTopic: {
    contextKey: 'alarmTopic',
    defaultValue: 'true',
    description:
      'Creates an SNS topic every alarm notifies (in alarm and back to OK); subscribe anything to it (output AlarmTopicArn). false: alarms only show in the console and on the dashboard.',
    validator: boolean,
  },
  alarmEmail: {
    contextKey: 'alarmEmail',
    defaultValue: '',
    description:
      'Email address subscribed to the alarm topic (AWS sends a confirmation mail first). Needs alarmTopic=true.',
    validator: matching(/^$|^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'empty, or an email address such as ops@example.com'),
  },
  tailscale: {
    contextKey: 'tailscale',
    defaultValue: 'false',
    description:
      'Runs the bot as a container image with tailscaled, to reach a llama server on your tailnet (docs/tailscale.md). Requires llamaUrl and tailscaleAuthKeySecret, and an empty llamaProxyUrl; cdk deploy then needs Docker.',
    validator: boolean,
  },
  tailscaleAuthKeySecret: {
    contextKey: 'tailscaleAuthKeySecret',
    defaultValue: '',
    description: 'Secrets Manager secret holding the Tailscale auth key (ephemeral, reusable, pre-approved, tagged).',
    validator: optionalSecretName(
      'empty, or the name or ARN of a Secrets Manager secret holding a Tailscale auth key, e.g. chat/tailscale',
    ),
  },
  tailscaleHostname: {
    contextKey: 'tailscaleHostname',
    defaultValue: 'chat-bot',
    description: "Machine name of the bot's ephemeral nodes in the tailnet.",
    validator: matching(
      /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/,
      'a Tailscale machine name: 1-63 letters, digits or hyphens, not starting or ending with a hyphen',
    ),
  },
  tailscaleProxyPort: {
    contextKey: 'tailscaleProxyPort',
    defaultValue: '1055',
    description: "Port of tailscaled's HTTP proxy on 127.0.0.1, where the bot sends its llama traffic.",
    validator: wholeNumber(1024, 65535, 'a whole number from 1024 to 65535 (a port on 127.0.0.1)'),
  },
} as const satisfies Record<string, StackSettingSpec<unknown>>;
export type StackSettingName = keyof typeof STACK_SETTINGS;


/** Typed stack settings. */
export type StackSettings = { readonly [K in StackSettingName]: SettingValue<(typeof STACK_SETTINGS)[K]> };

/** The stack's own context values (`STACK_SETTINGS`), read and checked like function settings. */
export function collectStackSettings(context: SettingsSource): { settings: StackSettings; problems: readonly string[] } {
  const problems: string[] = [];
  const settings = Object.fromEntries(
    Object.entries(STACK_SETTINGS).map(([name, spec]: [string, StackSettingSpec<unknown>]) => [
      name,
      readValue(spec, spec.contextKey, context, spec.defaultValue, problems).value,
    ]),
  );
  return { settings: settings as StackSettings, problems };
}
