import type { Settings } from '../../contract/settings';
import { FUNCTIONS } from '../../contract/topology';
import type { TargetName } from './inference/types';

/** The bot's settings (contract `FUNCTIONS.bot.settings`), as `readSettings` returns them. */
export type BotSettings = Pick<Settings, (typeof FUNCTIONS.bot.settings)[number]>;

export interface BotConfig {
  targets: readonly TargetName[];
  bedrockModelId: string;
  llama: { baseUrl: string; model: string; apiKeySecret: string; apiKey: string; proxyUrl: string };
  systemPrompt: string;
  maxOutputTokens: number;
  deltaWindowMs: number;
  deltaMaxChars: number;
  firstTokenTimeoutMs: number;
  /** Pause between the offline target's word deltas. */
  offlineDelayMs: number;
  answersPerRoomPerMinute: number;
  answersPerMinute: number;
  answersPerConnectionPerMinute: number;
  answersPerSourceIpPerMinute: number;
  /** How long the bot may run (its Lambda timeout): an answer claimed longer ago than this was abandoned. */
  timeoutMs: number;
}

/** The answering part of the bot's settings, under the names the bot's modules use. */
export function botConfigFrom(settings: BotSettings): BotConfig {
  return {
    targets: settings.botTargets,
    bedrockModelId: settings.bedrockModelId,
    llama: {
      baseUrl: settings.llamaUrl,
      model: settings.llamaModel,
      apiKeySecret: settings.llamaApiKeySecret.name,
      // Where there is no Secrets Manager (npm start) the key itself may be given (LLAMA_API_KEY); never on AWS.
      apiKey: settings.llamaApiKeySecret.value ?? '',
      proxyUrl: settings.llamaProxyUrl,
    },
    systemPrompt: settings.botSystemPrompt,
    maxOutputTokens: settings.botMaxOutputTokens,
    deltaWindowMs: settings.botDeltaWindowMs,
    deltaMaxChars: settings.botDeltaMaxChars,
    firstTokenTimeoutMs: settings.botFirstTokenTimeoutMs,
    offlineDelayMs: settings.botOfflineDelayMs,
    answersPerRoomPerMinute: settings.botAnswersPerRoomPerMinute,
    answersPerMinute: settings.botAnswersPerMinute,
    answersPerConnectionPerMinute: settings.botAnswersPerConnectionPerMinute,
    answersPerSourceIpPerMinute: settings.botAnswersPerSourceIpPerMinute,
    timeoutMs: FUNCTIONS.bot.timeoutSeconds * 1000,
  };
}
