import { SETTINGS } from '../../lib/topology';
import { integerEnv, listEnv } from '../shared/config';
import type { TargetName } from './inference/types';

export interface BotConfig {
  targets: TargetName[];
  bedrockModelId: string;
  llama: { baseUrl: string; model: string; apiKeySecret: string; apiKey: string; proxyUrl: string };
  systemPrompt: string;
  maxOutputTokens: number;
  deltaWindowMs: number;
  deltaMaxChars: number;
  firstTokenTimeoutMs: number;
  answersPerRoomPerMinute: number;
  answersPerMinute: number;
}

const env = (name: keyof typeof SETTINGS) => process.env[SETTINGS[name].envVar] ?? SETTINGS[name].defaultValue;
const int = (name: keyof typeof SETTINGS) => integerEnv(SETTINGS[name].envVar, Number(SETTINGS[name].defaultValue));

/** The bot's settings, from its environment (validated at deploy time by the stack; defaults from the topology). */
export function readBotConfig(): BotConfig {
  const targets = listEnv(SETTINGS.botTargets.envVar);
  return {
    targets: (targets.length ? targets : env('botTargets').split(',')) as TargetName[],
    bedrockModelId: env('bedrockModelId'),
    llama: {
      baseUrl: env('llamaUrl'),
      model: env('llamaModel'),
      apiKeySecret: env('llamaApiKeySecret'),
      // Locally a key can be given directly; on AWS it comes from the secret.
      apiKey: process.env.LLAMA_API_KEY ?? '',
      proxyUrl: env('llamaProxyUrl'),
    },
    systemPrompt: env('botSystemPrompt'),
    maxOutputTokens: int('botMaxOutputTokens'),
    deltaWindowMs: int('botDeltaWindowMs'),
    deltaMaxChars: int('botDeltaMaxChars'),
    firstTokenTimeoutMs: int('botFirstTokenTimeoutMs'),
    answersPerRoomPerMinute: int('botAnswersPerRoomPerMinute'),
    answersPerMinute: int('botAnswersPerMinute'),
  };
}
