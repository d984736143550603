import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { EventBus } from '../shared/event-bus';
import { HistoryStore } from '../shared/history-store';
import { retrieverFromSettings } from '../shared/retrieval/retriever-from-settings';
import { logger } from '../shared/logger';
import { AnswerBudget } from './answer-budget';
import { AnswerClaims } from './answer-claims';
import type { BotDeps } from './answer-room';
import { botConfigFrom, type BotSettings } from './bot-config';
import { NO_RETRIEVAL } from './context-retriever';
import { createTargets } from './inference/create-targets';

/** Everything the bot needs, built once per Lambda instance (the llama API key is read from Secrets Manager). */
export async function createBotDeps(settings: BotSettings): Promise<BotDeps> {
  const config = botConfigFrom(settings);
  if (config.targets.every((target) => target === 'offline')) {
    // Visitors are only told the bot is offline; how to give it a model is for whoever runs it.
    logger.warn(
      'The bot has no language model and answers in offline mode (quotes only). Give it one with botTargets, or with ' +
        'npm start: LLAMA_URL=http://127.0.0.1:11434 (Ollama, llama.cpp) or USE_BEDROCK=1 with AWS credentials; see docs/bot.md.',
    );
  }
  const apiKey = config.llama.apiKeySecret ? await readSecret(config.llama.apiKeySecret) : config.llama.apiKey;
  const targets = createTargets({
    chain: config.targets,
    bedrock: { modelId: config.bedrockModelId },
    llama: {
      baseUrl: config.llama.baseUrl,
      model: config.llama.model,
      apiKey: apiKey || undefined,
      proxyUrl: config.llama.proxyUrl || undefined,
    },
    offline: { delayMs: config.offlineDelayMs },
  });
  return {
    config,
    targets,
    history: new HistoryStore(),
    bus: new EventBus(),
    budget: new AnswerBudget({
      perRoom: config.answersPerRoomPerMinute,
      overall: config.answersPerMinute,
      perConnection: config.answersPerConnectionPerMinute,
      perSourceIp: config.answersPerSourceIpPerMinute,
    }),
    claims: new AnswerClaims(),
    // Off (no passages) unless pineconeIndexHost names an index.
    retriever: (await retrieverFromSettings(settings)) ?? NO_RETRIEVAL,
  };
}

async function readSecret(name: string): Promise<string> {
  const value = await getSecret<string>(name, { maxAge: 300 });
  if (typeof value !== 'string' || value === '') throw new Error(`Secret ${name} is empty or not a string`);
  return value;
}
