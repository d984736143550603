import { resolve } from 'node:path';
import { API, SETTINGS, type SettingName } from '../lib/topology';
import { API_GATEWAY_LIMITS, type GatewayLimits } from './gateway/limits';

export interface LocalRuntimeOptions {
  /** @default 8080; 0 picks a free port */
  port?: number;
  /** @default all interfaces, so a page opened from another machine can connect back */
  host?: string;
  /** Where DynamoDB, Kinesis, checkpoints and failed batches persist. @default .local/data */
  dataDir?: string;
  /** Start with empty tables and streams. @default false */
  fresh?: boolean;
  /** @default 'prod' */
  stage?: string;
  /** Deploy-time settings. @default from the environment variable of the same name, else the topology default */
  settings?: Partial<Record<SettingName, string>>;
  /** @default API Gateway's own limits */
  limits?: Partial<GatewayLimits>;
  /** Execution environments per function. @default 8 */
  functionConcurrency?: number;
  /** Delay added to every @connections call, to mimic the network round trip to API Gateway. @default 0 */
  managementLatencyMs?: number;
  /** First delay before a stream consumer retries a failed batch; doubles per attempt, at most 2 s. @default 100 */
  retryBaseDelayMs?: number;
  /**
   * Let the functions use the AWS credentials and region of this process (for real Bedrock), instead of dummy
   * local ones. @default USE_BEDROCK=1 in the environment
   */
  useBedrock?: boolean;
  /** Where runtime and function log lines go. @default console.log */
  log?: (line: string) => void;
}

/**
 * Where the local default differs from the deployed one: the bot answers offline unless a llama server (LLAMA_URL)
 * or real Bedrock (USE_BEDROCK=1 with AWS credentials) is configured, so `npm start` needs no network.
 */
function localDefault(name: SettingName, options: LocalRuntimeOptions): string | undefined {
  // No model download and no AWS locally: questions and passages are embedded offline.
  if (name === 'embedder') return 'offline';
  if (name !== 'botTargets') return undefined;
  const llamaUrl = options.settings?.llamaUrl ?? process.env[SETTINGS.llamaUrl.envVar];
  const chain = [llamaUrl ? 'llama' : undefined, options.useBedrock ? 'bedrock' : undefined, 'offline'];
  return chain.filter((target) => target !== undefined).join(',');
}

export type ResolvedOptions = Required<Omit<LocalRuntimeOptions, 'host'>> & {
  host: string | undefined;
  settings: Record<SettingName, string>;
  limits: GatewayLimits;
};

export function resolveOptions(options: LocalRuntimeOptions): ResolvedOptions {
  const settings = Object.fromEntries(
    (Object.keys(SETTINGS) as SettingName[]).map((name) => [
      name,
      options.settings?.[name] ?? process.env[SETTINGS[name].envVar] ?? localDefault(name, options) ?? SETTINGS[name].defaultValue,
    ]),
  ) as Record<SettingName, string>;
  return {
    port: options.port ?? 8080,
    host: options.host,
    dataDir: resolve(options.dataDir ?? '.local/data'),
    fresh: options.fresh ?? false,
    stage: options.stage ?? API.defaultStageName,
    settings,
    limits: { ...API_GATEWAY_LIMITS, ...options.limits },
    functionConcurrency: options.functionConcurrency ?? 8,
    managementLatencyMs: options.managementLatencyMs ?? 0,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 100,
    useBedrock: options.useBedrock ?? ['1', 'true'].includes(process.env.USE_BEDROCK ?? ''),
    log: options.log ?? ((line) => console.log(line)),
  };
}
