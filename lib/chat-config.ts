import type { Node } from 'constructs';
import { ChatConfigError } from './chat-config-error';
import { tailscaleProblems, type TailscaleConfig } from './tailscale-config';
import { API, SETTINGS, type SettingName } from './topology';
import { SETTING_RULES, STACK_RULES, type ValueRule } from './value-rules';

/** Deploy-time configuration, validated. Built from CDK context by `readChatConfig`. */
export interface ChatConfig {
  /** CloudFormation stack name (context `stackName`, default `ServerlessChat`). */
  readonly stackName: string;
  /** API Gateway stage (context `stageName`, default `API.defaultStageName`). */
  readonly stageName: string;
  /**
   * Whether the stack sets the regional API Gateway account's CloudWatch Logs role, which WebSocket access logging
   * requires (context `configureApiGatewayAccount`, default true).
   */
  readonly configureApiGatewayAccount: boolean;
  /** Every topology setting, keyed by setting name (context key `SETTINGS[name].contextKey`). */
  readonly settings: Readonly<Record<SettingName, string>>;
  /**
   * Tailscale for the function that calls the llama server (context `tailscale=true` and the `tailscale*` keys).
   * @default - absent: no Tailscale
   */
  readonly tailscale?: TailscaleConfig;
}

/** Context keys and defaults of the stack-level values; function settings come from topology `SETTINGS`. */
export const STACK_CONTEXT = {
  stackName: { contextKey: 'stackName', defaultValue: 'ServerlessChat' },
  stageName: { contextKey: 'stageName', defaultValue: API.defaultStageName },
  configureApiGatewayAccount: { contextKey: 'configureApiGatewayAccount', defaultValue: 'true' },
  tailscale: { contextKey: 'tailscale', defaultValue: 'false' },
  tailscaleAuthKeySecret: { contextKey: 'tailscaleAuthKeySecret', defaultValue: '' },
  tailscaleHostname: { contextKey: 'tailscaleHostname', defaultValue: 'chat-bot' },
  tailscaleProxyPort: { contextKey: 'tailscaleProxyPort', defaultValue: '1055' },
} as const satisfies Record<keyof typeof STACK_RULES, { contextKey: string; defaultValue: string }>;

/**
 * Reads every context value (`cdk.json` `context` or `-c key=value`), applies defaults and validates. Precedence:
 * `-c` > cdk.json > default. Throws one `ChatConfigError` listing all invalid values.
 */
export function readChatConfig(node: Node): ChatConfig {
  const problems: string[] = [];
  const read = (contextKey: string, defaultValue: string, rule: ValueRule): string => {
    const raw: unknown = node.tryGetContext(contextKey);
    if (raw === undefined) return defaultValue;
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      problems.push(`${contextKey}: got ${JSON.stringify(raw)}, expected ${rule.expected}`);
      return defaultValue;
    }
    const value = String(raw);
    if (!rule.isValid(value)) problems.push(`${contextKey}: got ${JSON.stringify(value)}, expected ${rule.expected}`);
    return value;
  };

  const stackValue = (name: keyof typeof STACK_CONTEXT): string =>
    read(STACK_CONTEXT[name].contextKey, STACK_CONTEXT[name].defaultValue, STACK_RULES[name]);
  const stackName = stackValue('stackName');
  const stageName = stackValue('stageName');
  const configureApiGatewayAccount = stackValue('configureApiGatewayAccount') === 'true';
  const tailscaleOn = stackValue('tailscale') === 'true';
  const tailscale: TailscaleConfig = {
    authKeySecret: stackValue('tailscaleAuthKeySecret'),
    hostname: stackValue('tailscaleHostname'),
    proxyPort: Number(stackValue('tailscaleProxyPort')),
  };

  const settings = Object.fromEntries(
    (Object.keys(SETTINGS) as SettingName[]).map((name) => {
      const { contextKey, defaultValue } = SETTINGS[name];
      return [name, read(contextKey, defaultValue, SETTING_RULES[name])];
    }),
  ) as Record<SettingName, string>;

  if (tailscaleOn) problems.push(...tailscaleProblems(tailscale, settings));

  if (problems.length > 0) throw new ChatConfigError(problems);
  return { stackName, stageName, configureApiGatewayAccount, settings, ...(tailscaleOn ? { tailscale } : {}) };
}
