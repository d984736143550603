/**
 * Every setting, written once: its name, CDK context key, environment variable, default (and the local default where
 * `npm start` differs), description, validator and whether it names a secret. The stack validates CDK context with
 * these validators (lib/chat-config.ts), the local runtime validates its environment with them, and every function
 * reads its own settings with `readSettings` (read-settings.ts); nothing else parses a setting. The settings tables
 * in README.md and docs/deploy.md are generated from this file (`npm run docs`).
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

/** A value read from CDK context only: it shapes the stack, no function receives it. */
export interface ContextSettingSpec<T> {
  /** CDK context key (`cdk.json` `context` or `-c key=value`). */
  readonly contextKey: string;
  /** The default, as text (what the docs show; parsed like any given value). */
  readonly defaultValue: string;
  readonly description: string;
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
    description:
      "Comma-separated Origin allow-list for the WebSocket handshake; empty allows the page's own origin on AWS (its CloudFront address) and any origin locally. Clients that send no Origin (wscat, servers) are always allowed.",
    validator: originList(
      'a comma-separated list of origins like https://chat.example.com,http://localhost:5173 (scheme://host[:port], no path, no trailing slash), or an empty string to allow any',
    ),
  },
  historyTtlDays: {
    envVar: 'HISTORY_TTL_DAYS',
    contextKey: 'historyTtlDays',
    defaultValue: '30',
    description:
      'Days a message stays in room history before DynamoDB expires it; 0 keeps it forever. Applies to messages written after the change.',
    validator: wholeNumber(0, 36500, 'a whole number of days from 0 to 36500 (0 keeps history forever)'),
  },
  fanoutConcurrency: {
    envVar: 'FANOUT_CONCURRENCY',
    contextKey: 'fanoutConcurrency',
    defaultValue: '32',
    description: 'Posts fanout keeps in flight at once per room while delivering a batch.',
    validator: wholeNumber(1, 256),
  },
  botTargets: {
    envVar: 'BOT_TARGETS',
    contextKey: 'botTargets',
    defaultValue: 'bedrock',
    localDefault: 'offline',
    description:
      'Ordered inference chain: the first target that gives a first token answers. npm start puts llama first when LLAMA_URL is set and bedrock when USE_BEDROCK=1, then offline.',
    validator: distinctListOf(BOT_TARGET_NAMES, 'llama,bedrock'),
  },
  bedrockModelId: {
    envVar: 'BEDROCK_MODEL_ID',
    contextKey: 'bedrockModelId',
    defaultValue: 'us.amazon.nova-lite-v1:0',
    description: 'Bedrock model or cross-region inference profile id the bot streams from (ConverseStream).',
    validator: matching(BEDROCK_MODEL_ID, 'a Bedrock model id or inference profile id, e.g. us.amazon.nova-lite-v1:0'),
  },
  llamaUrl: {
    envVar: 'LLAMA_URL',
    contextKey: 'llamaUrl',
    defaultValue: '',
    description:
      'Base URL of the OpenAI-compatible llama server (llama.cpp, vLLM, Ollama), e.g. a Tailscale address; empty for none.',
    validator: optionalUrl('http://100.101.102.6:8080'),
  },
  llamaModel: {
    envVar: 'LLAMA_MODEL',
    contextKey: 'llamaModel',
    defaultValue: 'llama3.2',
    description: 'Model name sent to the llama server.',
    validator: matching(/^\S{1,128}$/, 'a model name of 1-128 characters'),
  },
  llamaApiKeySecret: {
    envVar: 'LLAMA_API_KEY_SECRET',
    contextKey: 'llamaApiKeySecret',
    defaultValue: '',
    description: 'Secrets Manager secret holding the llama server API key (sent as a Bearer token); empty for none.',
    validator: optionalSecretName(),
    secret: { valueEnvVar: 'LLAMA_API_KEY' },
  },
  llamaProxyUrl: {
    envVar: 'LLAMA_PROXY_URL',
    contextKey: 'llamaProxyUrl',
    defaultValue: '',
    description: 'HTTP proxy for llama traffic; empty for none (with tailscale=true the stack sets it to tailscaled).',
    validator: optionalUrl('http://127.0.0.1:1055'),
  },
  botReplies: {
    envVar: 'BOT_REPLIES',
    contextKey: 'botReplies',
    defaultValue: 'addressed',
    description:
      'Which messages the bot answers: addressed (those that mention @bot or @<botName>, or reply to one of its answers) or all. Messages it does not answer never reach the bot function.',
    validator: oneOf(BOT_REPLIES, 'addressed or all'),
  },
  botName: {
    envVar: 'BOT_NAME',
    contextKey: 'botName',
    defaultValue: 'bot',
    description:
      'The name people address the bot by (@name, besides @bot); nobody may connect with it. 1-32 letters, digits, - or _.',
    validator: matching(/^[A-Za-z0-9_-]{1,32}$/, '1-32 letters, digits, - or _, e.g. helper'),
  },
  botSystemPrompt: {
    envVar: 'BOT_SYSTEM_PROMPT',
    contextKey: 'botSystemPrompt',
    defaultValue:
      'You are the assistant of a public chat room. Several people talk here; each of their messages starts with the name of who wrote it. Answer the latest message helpfully and briefly, in Markdown. When passages are provided, use them and cite them as [1], [2]; never invent citations.',
    description: 'The system prompt; retrieved passages are appended to it.',
    validator: text(4000, 'a prompt of 1-4000 characters'),
  },
  botMaxOutputTokens: {
    envVar: 'BOT_MAX_OUTPUT_TOKENS',
    contextKey: 'botMaxOutputTokens',
    defaultValue: '600',
    description: 'Longest answer, in tokens.',
    validator: wholeNumber(16, 4096),
  },
  botDeltaWindowMs: {
    envVar: 'BOT_DELTA_WINDOW_MS',
    contextKey: 'botDeltaWindowMs',
    defaultValue: '50',
    description: 'Streamed text is coalesced into at most one delta per this many milliseconds, unless botDeltaMaxChars are waiting.',
    validator: wholeNumber(10, 2000, 'a whole number from 10 to 2000 (milliseconds)'),
  },
  botDeltaMaxChars: {
    envVar: 'BOT_DELTA_MAX_CHARS',
    contextKey: 'botDeltaMaxChars',
    defaultValue: '400',
    description: 'A delta goes out early once this many characters are waiting.',
    validator: wholeNumber(1, 4000),
  },
  botFirstTokenTimeoutMs: {
    envVar: 'BOT_FIRST_TOKEN_TIMEOUT_MS',
    contextKey: 'botFirstTokenTimeoutMs',
    defaultValue: '5000',
    description: 'A target that gives no first token in this many milliseconds is abandoned for the next.',
    validator: wholeNumber(100, 60000, 'a whole number from 100 to 60000 (milliseconds)'),
  },
  botAnswersPerRoomPerMinute: {
    envVar: 'BOT_ANSWERS_PER_ROOM_PER_MINUTE',
    contextKey: 'botAnswersPerRoomPerMinute',
    defaultValue: '6',
    description: 'Bot answers allowed per room per minute; over it the room gets a notice instead (0 turns the bot off).',
    validator: wholeNumber(0, 1000),
  },
  botAnswersPerMinute: {
    envVar: 'BOT_ANSWERS_PER_MINUTE',
    contextKey: 'botAnswersPerMinute',
    defaultValue: '60',
    description: 'Bot answers allowed per minute across all rooms.',
    validator: wholeNumber(0, 100000),
  },
  botAnswersPerConnectionPerMinute: {
    envVar: 'BOT_ANSWERS_PER_CONNECTION_PER_MINUTE',
    contextKey: 'botAnswersPerConnectionPerMinute',
    defaultValue: '4',
    description:
      "Bot answers one connection's messages may take per minute; over it only that person gets a notice, and the room's and overall budgets are untouched.",
    validator: wholeNumber(0, 1000),
  },
  botAnswersPerSourceIpPerMinute: {
    envVar: 'BOT_ANSWERS_PER_SOURCE_IP_PER_MINUTE',
    contextKey: 'botAnswersPerSourceIpPerMinute',
    defaultValue: '8',
    // Locally every page and client comes from the same loopback address.
    localDefault: '60',
    description:
      'Bot answers the messages from one source IP address may take per minute, across all its connections and rooms (people behind one NAT share it).',
    validator: wholeNumber(0, 10000),
  },
  pineconeIndexHost: {
    envVar: 'PINECONE_INDEX_HOST',
    contextKey: 'pineconeIndexHost',
    defaultValue: '',
    description:
      'Host of the Pinecone index the bot retrieves passages from; empty turns retrieval off (npm start then serves its own index, loaded with knowledge/).',
    validator: matching(
      /^$|^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~-]*)*$/,
      'empty, or a Pinecone index host such as chat-abc123.svc.aped-4627-b74a.pinecone.io, or a URL such as http://127.0.0.1:8080/pinecone',
    ),
  },
  pineconeNamespace: {
    envVar: 'PINECONE_NAMESPACE',
    contextKey: 'pineconeNamespace',
    defaultValue: 'default',
    description: 'Pinecone namespace of the knowledge base.',
    validator: matching(/^[A-Za-z0-9_-]{1,64}$/, '1-64 letters, digits, - or _'),
  },
  pineconeApiKeySecret: {
    envVar: 'PINECONE_API_KEY_SECRET',
    contextKey: 'pineconeApiKeySecret',
    defaultValue: '',
    description: 'Secrets Manager secret holding the Pinecone API key (plain, or JSON with an apiKey field).',
    validator: optionalSecretName(),
    secret: { valueEnvVar: 'PINECONE_API_KEY' },
  },
  embedder: {
    envVar: 'EMBEDDER',
    contextKey: 'embedder',
    defaultValue: 'titan',
    localDefault: 'offline',
    description:
      'How questions and passages are embedded: titan (Bedrock Titan Text Embeddings V2) or offline (no model, no network). Ingest with the same one.',
    validator: oneOf(EMBEDDERS, 'titan or offline'),
  },
  embeddingModelId: {
    envVar: 'EMBEDDING_MODEL_ID',
    contextKey: 'embeddingModelId',
    defaultValue: 'amazon.titan-embed-text-v2:0',
    description: 'Bedrock embedding model used when embedder is titan (1024 dimensions, normalized).',
    validator: matching(BEDROCK_MODEL_ID, 'a Bedrock embedding model id, e.g. amazon.titan-embed-text-v2:0'),
  },
  retrievalTopK: {
    envVar: 'RETRIEVAL_TOP_K',
    contextKey: 'retrievalTopK',
    defaultValue: '5',
    description: 'Passages retrieved per question.',
    validator: wholeNumber(1, 20),
  },
  retrievalMinScore: {
    envVar: 'RETRIEVAL_MIN_SCORE',
    contextKey: 'retrievalMinScore',
    defaultValue: '0.15',
    description:
      'Matches scoring below this (cosine similarity) are not used; measured for the offline embedder (npm run bench:recall), re-measure for Titan.',
    validator: decimal(-1, 1, '0.15'),
  },
  logLevel: {
    envVar: 'LOG_LEVEL',
    contextKey: 'logLevel',
    defaultValue: 'INFO',
    description: 'Powertools logger level.',
    validator: oneOf(LOG_LEVELS),
  },
  metricsDisabled: {
    envVar: 'POWERTOOLS_METRICS_DISABLED',
    contextKey: 'metricsDisabled',
    defaultValue: 'false',
    localDefault: 'true',
    description:
      "Leaves out the functions' CloudWatch metrics (Powertools EMF lines on stdout), which the alarms and dashboard read (docs/operations.md). npm start leaves them out to keep its console readable; POWERTOOLS_METRICS_DISABLED=false npm start prints them.",
    validator: boolean,
  },
  messageRatePerSecond: {
    envVar: 'MESSAGE_RATE_PER_SECOND',
    contextKey: 'messageRatePerSecond',
    defaultValue: '5',
    description: 'Messages one connection may send per second, sustained; faster ones get error rate_limited.',
    validator: wholeNumber(1, 1000),
  },
  messageBurst: {
    envVar: 'MESSAGE_BURST',
    contextKey: 'messageBurst',
    defaultValue: '10',
    description: 'Messages one connection may send back to back before messageRatePerSecond applies.',
    validator: wholeNumber(1, 10000),
  },
  draftRatePerSecond: {
    envVar: 'DRAFT_RATE_PER_SECOND',
    contextKey: 'draftRatePerSecond',
    defaultValue: '20',
    description: 'Draft (typing) updates one connection may send per second, sustained; faster ones get error rate_limited.',
    validator: wholeNumber(1, 1000),
  },
  draftBurst: {
    envVar: 'DRAFT_BURST',
    contextKey: 'draftBurst',
    defaultValue: '40',
    description: 'Draft updates one connection may send back to back before draftRatePerSecond applies.',
    validator: wholeNumber(1, 10000),
  },
} as const satisfies Record<string, SettingSpec<unknown>>;
export type SettingName = keyof typeof SETTINGS;

/** Settings naming a Secrets Manager secret. */
export type SecretSettingName = {
  [K in SettingName]: (typeof SETTINGS)[K] extends { secret: object } ? K : never;
}[SettingName];

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
} as const satisfies Record<string, ContextSettingSpec<unknown>>;
export type StackSettingName = keyof typeof STACK_SETTINGS;

type ValueOf<S> = S extends { readonly validator: Validator<infer T> } ? T : never;

/** A setting naming a secret, read: the secret's name ('' for none) and, where it was given, its value itself. */
export interface SecretReference {
  readonly name: string;
  /** From the setting's `secret.valueEnvVar`; never set on AWS. */
  readonly value?: string;
}

/** Typed function settings, as `readSettings` returns them. */
export type Settings = {
  readonly [K in SettingName]: (typeof SETTINGS)[K] extends { secret: object } ? SecretReference : ValueOf<(typeof SETTINGS)[K]>;
};
/** Typed stack settings. */
export type StackSettings = { readonly [K in StackSettingName]: ValueOf<(typeof STACK_SETTINGS)[K]> };
