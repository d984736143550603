/**
 * Every setting, written once: its name, CDK context key, environment variable, default (and the local default where
 * `npm start` differs), validator and whether it names a secret; its description, which no function needs, is in
 * setting-descriptions.ts, keyed by the same name. The stack validates CDK context with these validators
 * (lib/chat-config.ts), the local runtime validates its environment with them, and every function reads its own
 * settings with `readSettings` (read-settings.ts); nothing else parses a setting. The settings tables in README.md and
 * docs/deploy.md are generated from this file (`npm run docs`). The stack's own context values are in
 * stack-settings.ts.
 */
import {
  boolean,
  decimal,
  distinctListOf,
  matching,
  oneOf,
  optionalSecretName,
  optionalUrl,
  originList,
  text,
  wholeNumber,
  type Validator,
} from './validators';
import { BOT_REPLIES } from './protocol';

/** A value read from CDK context (a function setting's environment variable too, see `SettingSpec`). */
export interface ContextSettingSpec<T> {
  /** CDK context key (`cdk.json` `context` or `-c key=value`). */
  readonly contextKey: string;
  /** The default, as text (what the docs show; parsed like any given value). */
  readonly defaultValue: string;
  readonly validator: Validator<T>;
}

/** A function setting: CDK context at deploy time, an environment variable of the functions that list it. */
export interface SettingSpec<T> extends ContextSettingSpec<T> {
  /** The function's environment variable; locally (`npm start`) the runtime's environment variable of that name. */
  readonly envVar: string;
  /** Where `npm start` defaults differently (no network, no AWS account), as text. */
  readonly localDefault?: string;
  /**
   * For a setting naming a Secrets Manager secret: where there is no Secrets Manager (`npm start`, scripts), the
   * secret's value itself may be given in this environment variable (`LLAMA_API_KEY_SECRET` -> `LLAMA_API_KEY`). The
   * stack never sets it; the local runtime passes it only to the functions that read the secret.
   */
  readonly secret?: { readonly valueEnvVar: string };
}

export const BOT_TARGET_NAMES = ['bedrock', 'llama', 'offline'] as const;
export type BotTargetName = (typeof BOT_TARGET_NAMES)[number];

export const EMBEDDERS = ['titan', 'offline'] as const;
export type EmbedderName = (typeof EMBEDDERS)[number];

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const BEDROCK_MODEL_ID = /^[a-z0-9][a-z0-9.:-]{2,127}$/;

/** Deploy-time configuration handed to functions as environment variables. */
export const SETTINGS = {
  allowedOrigins: {
    envVar: 'ALLOWED_ORIGINS',
    contextKey: 'allowedOrigins',
    defaultValue: '',
    validator: originList(
      'a comma-separated list of origins like https://chat.example.com,http://localhost:5173 (scheme://host[:port], no path, no trailing slash), or an empty string to allow any',
    ),
  },
  historyTtlDays: {
    envVar: 'HISTORY_TTL_DAYS',
    contextKey: 'historyTtlDays',
    defaultValue: '30',
    validator: wholeNumber(0, 36500, 'a whole number of days from 0 to 36500 (0 keeps history forever)'),
  },
  fanoutConcurrency: {
    envVar: 'FANOUT_CONCURRENCY',
    contextKey: 'fanoutConcurrency',
    defaultValue: '32',
    validator: wholeNumber(1, 256),
  },
  botTargets: {
    envVar: 'BOT_TARGETS',
    contextKey: 'botTargets',
    defaultValue: 'bedrock',
    localDefault: 'offline',
    validator: distinctListOf(BOT_TARGET_NAMES, 'llama,bedrock'),
  },
  bedrockModelId: {
    envVar: 'BEDROCK_MODEL_ID',
    contextKey: 'bedrockModelId',
    defaultValue: 'us.amazon.nova-lite-v1:0',
    validator: matching(BEDROCK_MODEL_ID, 'a Bedrock model id or inference profile id, e.g. us.amazon.nova-lite-v1:0'),
  },
  llamaUrl: {
    envVar: 'LLAMA_URL',
    contextKey: 'llamaUrl',
    defaultValue: '',
    validator: optionalUrl('http://100.101.102.6:8080'),
  },
  llamaModel: {
    envVar: 'LLAMA_MODEL',
    contextKey: 'llamaModel',
    defaultValue: 'llama3.2',
    validator: matching(/^\S{1,128}$/, 'a model name of 1-128 characters'),
  },
  llamaApiKeySecret: {
    envVar: 'LLAMA_API_KEY_SECRET',
    contextKey: 'llamaApiKeySecret',
    defaultValue: '',
    validator: optionalSecretName(),
    secret: { valueEnvVar: 'LLAMA_API_KEY' },
  },
  llamaProxyUrl: {
    envVar: 'LLAMA_PROXY_URL',
    contextKey: 'llamaProxyUrl',
    defaultValue: '',
    validator: optionalUrl('http://127.0.0.1:1055'),
  },
  botReplies: {
    envVar: 'BOT_REPLIES',
    contextKey: 'botReplies',
    defaultValue: 'addressed',
    validator: oneOf(BOT_REPLIES, 'addressed or all'),
  },
  botName: {
    envVar: 'BOT_NAME',
    contextKey: 'botName',
    defaultValue: 'bot',
    validator: matching(/^[A-Za-z0-9_-]{1,32}$/, '1-32 letters, digits, - or _, e.g. helper'),
  },
  botSystemPrompt: {
    envVar: 'BOT_SYSTEM_PROMPT',
    contextKey: 'botSystemPrompt',
    defaultValue:
      'You are the assistant of a public chat room. Several people talk here; each of their messages starts with the name of who wrote it. Answer the latest message helpfully and briefly, in Markdown. When passages are provided, use them and cite them as [1], [2]; never invent citations.',
    validator: text(4000, 'a prompt of 1-4000 characters'),
  },
  botMaxOutputTokens: {
    envVar: 'BOT_MAX_OUTPUT_TOKENS',
    contextKey: 'botMaxOutputTokens',
    defaultValue: '600',
    validator: wholeNumber(16, 4096),
  },
  botDeltaWindowMs: {
    envVar: 'BOT_DELTA_WINDOW_MS',
    contextKey: 'botDeltaWindowMs',
    defaultValue: '50',
    validator: wholeNumber(10, 2000, 'a whole number from 10 to 2000 (milliseconds)'),
  },
  botDeltaMaxChars: {
    envVar: 'BOT_DELTA_MAX_CHARS',
    contextKey: 'botDeltaMaxChars',
    defaultValue: '400',
    validator: wholeNumber(1, 4000),
  },
  botOfflineDelayMs: {
    envVar: 'BOT_OFFLINE_DELAY_MS',
    contextKey: 'botOfflineDelayMs',
    defaultValue: '15',
    validator: wholeNumber(0, 1000, 'a whole number from 0 to 1000 (milliseconds)'),
  },
  botFirstTokenTimeoutMs: {
    envVar: 'BOT_FIRST_TOKEN_TIMEOUT_MS',
    contextKey: 'botFirstTokenTimeoutMs',
    defaultValue: '5000',
    validator: wholeNumber(100, 60000, 'a whole number from 100 to 60000 (milliseconds)'),
  },
  botAnswersPerRoomPerMinute: {
    envVar: 'BOT_ANSWERS_PER_ROOM_PER_MINUTE',
    contextKey: 'botAnswersPerRoomPerMinute',
    defaultValue: '6',
    validator: wholeNumber(0, 1000),
  },
  botAnswersPerMinute: {
    envVar: 'BOT_ANSWERS_PER_MINUTE',
    contextKey: 'botAnswersPerMinute',
    defaultValue: '60',
    validator: wholeNumber(0, 100000),
  },
  botAnswersPerConnectionPerMinute: {
    envVar: 'BOT_ANSWERS_PER_CONNECTION_PER_MINUTE',
    contextKey: 'botAnswersPerConnectionPerMinute',
    defaultValue: '4',
    validator: wholeNumber(0, 1000),
  },
  botAnswersPerSourceIpPerMinute: {
    envVar: 'BOT_ANSWERS_PER_SOURCE_IP_PER_MINUTE',
    contextKey: 'botAnswersPerSourceIpPerMinute',
    defaultValue: '8',
    // Locally every page and client comes from the same loopback address.
    localDefault: '60',
    validator: wholeNumber(0, 10000),
  },
  pineconeIndexHost: {
    envVar: 'PINECONE_INDEX_HOST',
    contextKey: 'pineconeIndexHost',
    defaultValue: '',
    validator: matching(
      /^$|^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~-]*)*$/,
      'empty, or a Pinecone index host such as chat-abc123.svc.aped-4627-b74a.pinecone.io, or a URL such as http://127.0.0.1:8080/pinecone',
    ),
  },
  pineconeNamespace: {
    envVar: 'PINECONE_NAMESPACE',
    contextKey: 'pineconeNamespace',
    defaultValue: 'default',
    validator: matching(/^[A-Za-z0-9_-]{1,64}$/, '1-64 letters, digits, - or _'),
  },
  pineconeApiKeySecret: {
    envVar: 'PINECONE_API_KEY_SECRET',
    contextKey: 'pineconeApiKeySecret',
    defaultValue: '',
    validator: optionalSecretName(),
    secret: { valueEnvVar: 'PINECONE_API_KEY' },
  },
  embedder: {
    envVar: 'EMBEDDER',
    contextKey: 'embedder',
    defaultValue: 'titan',
    localDefault: 'offline',
    validator: oneOf(EMBEDDERS, 'titan or offline'),
  },
  embeddingModelId: {
    envVar: 'EMBEDDING_MODEL_ID',
    contextKey: 'embeddingModelId',
    defaultValue: 'amazon.titan-embed-text-v2:0',
    validator: matching(BEDROCK_MODEL_ID, 'a Bedrock embedding model id, e.g. amazon.titan-embed-text-v2:0'),
  },
  retrievalTopK: {
    envVar: 'RETRIEVAL_TOP_K',
    contextKey: 'retrievalTopK',
    defaultValue: '5',
    validator: wholeNumber(1, 20),
  },
  retrievalMinScore: {
    envVar: 'RETRIEVAL_MIN_SCORE',
    contextKey: 'retrievalMinScore',
    defaultValue: '0.15',
    validator: decimal(-1, 1, '0.15'),
  },
  logLevel: {
    envVar: 'LOG_LEVEL',
    contextKey: 'logLevel',
    defaultValue: 'INFO',
    validator: oneOf(LOG_LEVELS),
  },
  metricsDisabled: {
    envVar: 'POWERTOOLS_METRICS_DISABLED',
    contextKey: 'metricsDisabled',
    defaultValue: 'false',
    localDefault: 'true',
    validator: boolean,
  },
  messageRatePerSecond: {
    envVar: 'MESSAGE_RATE_PER_SECOND',
    contextKey: 'messageRatePerSecond',
    defaultValue: '5',
    validator: wholeNumber(1, 1000),
  },
  messageBurst: {
    envVar: 'MESSAGE_BURST',
    contextKey: 'messageBurst',
    defaultValue: '10',
    validator: wholeNumber(1, 10000),
  },
  draftRatePerSecond: {
    envVar: 'DRAFT_RATE_PER_SECOND',
    contextKey: 'draftRatePerSecond',
    defaultValue: '20',
    validator: wholeNumber(1, 1000),
  },
  draftBurst: {
    envVar: 'DRAFT_BURST',
    contextKey: 'draftBurst',
    defaultValue: '40',
    validator: wholeNumber(1, 10000),
  },
} as const satisfies Record<string, SettingSpec<unknown>>;
export type SettingName = keyof typeof SETTINGS;

/** Settings naming a Secrets Manager secret. */
export type SecretSettingName = {
  [K in SettingName]: (typeof SETTINGS)[K] extends { secret: object } ? K : never;
}[SettingName];

/** The typed value a spec's validator parses its text into. */
export type SettingValue<S> = S extends { readonly validator: Validator<infer T> } ? T : never;

/** A setting naming a secret, read: the secret's name ('' for none) and, where it was given, its value itself. */
export interface SecretReference {
  readonly name: string;
  /** From the setting's `secret.valueEnvVar`; never set on AWS. */
  readonly value?: string;
}

/** Typed function settings, as `readSettings` returns them. */
export type Settings = {
  readonly [K in SettingName]: (typeof SETTINGS)[K] extends { secret: object } ? SecretReference : SettingValue<(typeof SETTINGS)[K]>;
};
