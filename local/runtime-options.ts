import { resolve } from 'node:path';
import { API, collectSettings, SETTINGS, SettingsError, type SecretSettingName, type SettingName, type SettingsSource } from '../contract';
import { API_GATEWAY_LIMITS, type GatewayLimits } from './gateway/limits';

/** Where `npm start` serves and keeps its data unless told otherwise (PORT, HOST, DATA_DIR). */
export const LOCAL_DEFAULTS = { port: 8080, host: '127.0.0.1', dataDir: '.local/data' } as const;

export interface LocalRuntimeOptions {
  /** @default 8080; 0 picks a free port */
  port?: number;
  /**
   * The interface to listen on. `0.0.0.0` (or `::`) serves other machines too, e.g. a phone on the same network.
   * @default 127.0.0.1: this machine only
   */
  host?: string;
  /** Where DynamoDB, Kinesis, checkpoints and failed batches persist. @default .local/data */
  dataDir?: string;
  /** Start with empty tables and streams. @default false */
  fresh?: boolean;
  /** @default 'prod' */
  stage?: string;
  /**
   * Deploy-time settings, validated like synth validates CDK context. @default from the environment variable of the
   * same name, else the setting's local default (contract `SETTINGS`)
   */
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
  /**
   * Tests only: lets `runtime.faults` make the functions' Kinesis writes fail or hang and impose timeouts on
   * functions (each function then reaches Kinesis through a small proxy). Not read from the environment. @default false
   */
  faultInjection?: boolean;
}

/**
 * Unless BOT_TARGETS is given, the bot answers offline (the setting's local default), after a llama server when
 * LLAMA_URL is set and real Bedrock when USE_BEDROCK=1 (with AWS credentials), so `npm start` needs no network.
 */
function localChain(llamaUrl: string, useBedrock: boolean): string {
  return [llamaUrl ? 'llama' : undefined, useBedrock ? 'bedrock' : undefined, 'offline'].filter(Boolean).join(',');
}

export type ResolvedOptions = Required<LocalRuntimeOptions> & {
  /** Every setting as the text the functions' environment carries. */
  settings: Record<SettingName, string>;
  /** Secret values given directly in this process's environment (`LLAMA_API_KEY`), by variable name. */
  secretValues: Record<string, string>;
  limits: GatewayLimits;
};

/**
 * The options, defaulted; settings are read with the contract's reader from the options and this process's
 * environment and validated, so a wrong value stops `npm start` with every problem listed (a `SettingsError`).
 */
export function resolveOptions(options: LocalRuntimeOptions): ResolvedOptions {
  const useBedrock = options.useBedrock ?? ['1', 'true'].includes(process.env.USE_BEDROCK ?? '');
  const source: SettingsSource = {
    ...process.env,
    ...Object.fromEntries(Object.entries(options.settings ?? {}).map(([name, value]) => [SETTINGS[name as SettingName].envVar, value])),
  };
  const reading = collectSettings(source, undefined, { local: true });
  if (reading.problems.length > 0) throw new SettingsError(reading.problems, 'Invalid settings for the local runtime:');
  const settings = { ...reading.texts };
  if (source[SETTINGS.botTargets.envVar] === undefined) settings.botTargets = localChain(reading.settings.llamaUrl, useBedrock);
  const secretNames = (Object.keys(SETTINGS) as SettingName[]).filter((name): name is SecretSettingName => 'secret' in SETTINGS[name]);
  const secretValues = Object.fromEntries(
    secretNames.flatMap((name) => {
      const { value } = reading.settings[name];
      return value === undefined ? [] : [[SETTINGS[name].secret.valueEnvVar, value]];
    }),
  );
  return {
    port: options.port ?? LOCAL_DEFAULTS.port,
    host: options.host ?? LOCAL_DEFAULTS.host,
    dataDir: resolve(options.dataDir ?? LOCAL_DEFAULTS.dataDir),
    fresh: options.fresh ?? false,
    stage: options.stage ?? API.defaultStageName,
    settings,
    secretValues,
    limits: { ...API_GATEWAY_LIMITS, ...options.limits },
    functionConcurrency: options.functionConcurrency ?? 8,
    managementLatencyMs: options.managementLatencyMs ?? 0,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 100,
    useBedrock,
    log: options.log ?? ((line) => console.log(line)),
    faultInjection: options.faultInjection ?? false,
  };
}
