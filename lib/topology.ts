/**
 * The one description of the system: routes, functions, the event stream and its consumers, tables and the
 * configuration each function receives. The CDK stack (lib/) builds AWS resources from it and the local runtime
 * (local/) builds its emulation from it, so the two cannot drift; test/cdk/topology.test.ts checks the synthesized
 * template against it.
 *
 * Plain data only (no CDK imports): the local runtime and the Lambdas read it too. Numbers carry their unit in the
 * name because this file is shared with code that has no `Duration` type.
 */

export const API = {
  routeSelectionExpression: '$request.body.action',
  /** API Gateway stage; the local gateway accepts the same path prefix. */
  defaultStageName: 'prod',
} as const;

export const ROUTE_KEYS = ['$connect', '$disconnect', 'join', 'sendMessage', 'typing', 'history', '$default'] as const;
export type RouteKey = (typeof ROUTE_KEYS)[number];

/** Every key attribute is a string. */
export interface TableSpec {
  readonly envVar: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly timeToLiveAttribute?: string;
  readonly pointInTimeRecovery: boolean;
  /** Why a table goes without point-in-time recovery (required when it does; it is what the stack tells cdk-nag). */
  readonly withoutRecoveryBecause?: string;
  readonly indexes: Readonly<Record<string, IndexSpec>>;
}

export interface IndexSpec {
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Attributes copied into the index besides the keys. */
  readonly nonKeyAttributes: readonly string[];
}

export const TABLES = {
  /** Who is connected, and to which room. Fanout finds a room's connections through the byRoom index (a Query). */
  connections: {
    envVar: 'CONNECTIONS_TABLE',
    partitionKey: 'connectionId',
    timeToLiveAttribute: 'expiresAt',
    pointInTimeRecovery: false,
    withoutRecoveryBecause:
      'it holds only short-lived state that expires by TTL and is meaningless after a restore, because the ' +
      'WebSocket connections it describes do not survive in API Gateway',
    indexes: {
      /** Fanout's member list: who to post to. */
      byRoom: { partitionKey: 'room', sortKey: 'connectionId', nonKeyAttributes: ['connectedAt'] },
      /**
       * `welcome`'s member list, with names. A new index rather than a wider byRoom: CloudFormation cannot change an
       * existing index's projection, and creates or deletes at most one index per update, so this release adds this
       * one; a later release can move fanout onto it and delete byRoom.
       */
      roomMembers: { partitionKey: 'room', sortKey: 'connectionId', nonKeyAttributes: ['connectedAt', 'userId', 'name'] },
    },
  },
  /** Room history: every broadcast `user` message (and the bot's final answers), ordered by id (time-sortable). */
  messages: {
    envVar: 'MESSAGES_TABLE',
    partitionKey: 'room',
    sortKey: 'id',
    timeToLiveAttribute: 'expiresAt',
    pointInTimeRecovery: true,
    indexes: {},
  },
  /** The bot's answer budget: one counter per room and minute, and one per minute overall. */
  botBudget: {
    envVar: 'BOT_BUDGET_TABLE',
    partitionKey: 'key',
    timeToLiveAttribute: 'expiresAt',
    pointInTimeRecovery: false,
    withoutRecoveryBecause: 'its counters live for two minutes (TTL); a restore would bring back nothing of value',
    indexes: {},
  },
} as const satisfies Record<string, TableSpec>;
export type TableName = keyof typeof TABLES;

export interface StreamSpec {
  readonly envVar: string;
  readonly shardCount: number;
  readonly retentionHours: number;
}

export const STREAMS = {
  /** The bus: one record per room event, partition key = room, so a room's events stay in order. */
  events: { envVar: 'EVENTS_STREAM', shardCount: 1, retentionHours: 24 },
} as const satisfies Record<string, StreamSpec>;
export type StreamName = keyof typeof STREAMS;

/** How a function consumes a stream, with AWS Lambda's event source mapping semantics. */
export interface StreamConsumerSpec {
  readonly stream: StreamName;
  /** Enhanced fan-out pushes records (about 70 ms); standard polling reads each shard once a second. */
  readonly enhancedFanOut: boolean;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** How many times a failing batch is retried before it goes to the on-failure destination. */
  readonly retryAttempts: number;
  readonly bisectBatchOnError: boolean;
  readonly reportBatchItemFailures: boolean;
  readonly maxRecordAgeSeconds: number;
  readonly parallelizationFactor: number;
  readonly startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /**
   * Lambda event filtering on the record's JSON `data`: a record is delivered if any pattern matches; with none,
   * every record is. Only exact-value lists are used, so the local runtime can evaluate them the same way.
   */
  readonly filterPatterns: readonly FilterPattern[];
}

/** A Lambda event filter pattern: nested objects ending in lists of accepted values. */
export interface FilterPattern {
  readonly [key: string]: FilterPattern | readonly (string | number | boolean | null)[];
}

/** A Bedrock model the function may call, named by a setting holding its model or inference profile id. */
export interface ModelAccess {
  readonly setting: SettingName;
  readonly actions: readonly ('bedrock:InvokeModel' | 'bedrock:InvokeModelWithResponseStream')[];
}

export type TableAccess = 'read' | 'write' | 'readWrite';

export interface FunctionSpec {
  /** Path of the handler module from the project root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly routes: readonly RouteKey[];
  readonly consumes?: StreamConsumerSpec;
  readonly tables: Readonly<Partial<Record<TableName, TableAccess>>>;
  /** Streams the function writes to. */
  readonly writesTo: readonly StreamName[];
  /** Whether it posts to / deletes WebSocket connections through the @connections management API. */
  readonly manageConnections: boolean;
  readonly settings: readonly SettingName[];
  /** Bedrock models the function invokes (only those; by the id a setting holds). */
  readonly models: readonly ModelAccess[];
  /** Settings holding the name or ARN of a Secrets Manager secret the function reads (when set). */
  readonly secrets: readonly SettingName[];
}

export interface SettingSpec {
  readonly envVar: string;
  /** CDK context key (`cdk.json` or `-c key=value`); locally the environment variable of the same name as envVar. */
  readonly contextKey: string;
  readonly defaultValue: string;
  readonly description: string;
}

// ---- Admission control (issue 8): per-connection token buckets enforced by the message function. Kept as one block
// so it can move with the other settings.
const ADMISSION_SETTINGS = {
  messageRatePerSecond: {
    envVar: 'MESSAGE_RATE_PER_SECOND',
    contextKey: 'messageRatePerSecond',
    defaultValue: '5',
    description: 'Messages one connection may send per second, sustained (1-1000); faster ones get error rate_limited.',
  },
  messageBurst: {
    envVar: 'MESSAGE_BURST',
    contextKey: 'messageBurst',
    defaultValue: '10',
    description: 'Messages one connection may send back to back before messageRatePerSecond applies (1-10000).',
  },
  draftRatePerSecond: {
    envVar: 'DRAFT_RATE_PER_SECOND',
    contextKey: 'draftRatePerSecond',
    defaultValue: '20',
    description: 'Draft (typing) updates one connection may send per second, sustained (1-1000).',
  },
  draftBurst: {
    envVar: 'DRAFT_BURST',
    contextKey: 'draftBurst',
    defaultValue: '40',
    description: 'Draft updates one connection may send back to back before draftRatePerSecond applies (1-10000).',
  },
} as const satisfies Record<string, SettingSpec>;
// ---- end of admission control settings

/** Deploy-time configuration handed to functions as environment variables. */
export const SETTINGS = {
  allowedOrigins: {
    envVar: 'ALLOWED_ORIGINS',
    contextKey: 'allowedOrigins',
    defaultValue: '',
    description:
      'Comma-separated Origin allow-list for the WebSocket handshake; empty allows any. Clients that send no Origin (wscat, servers) are always allowed.',
  },
  historyTtlDays: {
    envVar: 'HISTORY_TTL_DAYS',
    contextKey: 'historyTtlDays',
    defaultValue: '30',
    description: 'Days a message stays in room history before DynamoDB expires it; 0 keeps it forever.',
  },
  fanoutConcurrency: {
    envVar: 'FANOUT_CONCURRENCY',
    contextKey: 'fanoutConcurrency',
    defaultValue: '32',
    description: 'Posts fanout keeps in flight at once per room while delivering a batch (1-256).',
  },
  botTargets: {
    envVar: 'BOT_TARGETS',
    contextKey: 'botTargets',
    defaultValue: 'bedrock',
    description:
      'Ordered inference chain, comma-separated from bedrock, llama, offline: the first that gives a first token answers (npm start uses offline unless configured).',
  },
  bedrockModelId: {
    envVar: 'BEDROCK_MODEL_ID',
    contextKey: 'bedrockModelId',
    defaultValue: 'us.amazon.nova-lite-v1:0',
    description: 'Bedrock model or cross-region inference profile id the bot streams from (ConverseStream).',
  },
  llamaUrl: {
    envVar: 'LLAMA_URL',
    contextKey: 'llamaUrl',
    defaultValue: '',
    description:
      'Base URL of the OpenAI-compatible llama server (llama.cpp, vLLM, Ollama), e.g. http://100.101.102.6:8080 (a Tailscale address).',
  },
  llamaModel: {
    envVar: 'LLAMA_MODEL',
    contextKey: 'llamaModel',
    defaultValue: 'llama3.2',
    description: 'Model name sent to the llama server.',
  },
  llamaApiKeySecret: {
    envVar: 'LLAMA_API_KEY_SECRET',
    contextKey: 'llamaApiKeySecret',
    defaultValue: '',
    description: 'Name or ARN of a Secrets Manager secret holding the llama server API key (sent as a Bearer token); empty for none.',
  },
  llamaProxyUrl: {
    envVar: 'LLAMA_PROXY_URL',
    contextKey: 'llamaProxyUrl',
    defaultValue: '',
    description: 'HTTP proxy for llama traffic, e.g. Tailscale userspace networking on http://127.0.0.1:1055; empty for none.',
  },
  botSystemPrompt: {
    envVar: 'BOT_SYSTEM_PROMPT',
    contextKey: 'botSystemPrompt',
    defaultValue:
      'You are the assistant of a public chat room. Several people talk here; each of their messages starts with the name of who wrote it. Answer the latest message helpfully and briefly, in Markdown. When passages are provided, use them and cite them as [1], [2]; never invent citations.',
    description: 'The system prompt; retrieved passages are appended to it.',
  },
  botMaxOutputTokens: {
    envVar: 'BOT_MAX_OUTPUT_TOKENS',
    contextKey: 'botMaxOutputTokens',
    defaultValue: '600',
    description: 'Longest answer, in tokens (16-4096).',
  },
  botDeltaWindowMs: {
    envVar: 'BOT_DELTA_WINDOW_MS',
    contextKey: 'botDeltaWindowMs',
    defaultValue: '50',
    description: 'Streamed text is coalesced into at most one delta per this many milliseconds (10-2000), unless botDeltaMaxChars are waiting.',
  },
  botDeltaMaxChars: {
    envVar: 'BOT_DELTA_MAX_CHARS',
    contextKey: 'botDeltaMaxChars',
    defaultValue: '400',
    description: 'A delta goes out early once this many characters are waiting (1-4000).',
  },
  botFirstTokenTimeoutMs: {
    envVar: 'BOT_FIRST_TOKEN_TIMEOUT_MS',
    contextKey: 'botFirstTokenTimeoutMs',
    defaultValue: '5000',
    description: 'A target that gives no first token in this many milliseconds is abandoned for the next (100-60000).',
  },
  botAnswersPerRoomPerMinute: {
    envVar: 'BOT_ANSWERS_PER_ROOM_PER_MINUTE',
    contextKey: 'botAnswersPerRoomPerMinute',
    defaultValue: '6',
    description: 'Bot answers allowed per room per minute; over it the room gets a notice instead (0 turns the bot off).',
  },
  botAnswersPerMinute: {
    envVar: 'BOT_ANSWERS_PER_MINUTE',
    contextKey: 'botAnswersPerMinute',
    defaultValue: '60',
    description: 'Bot answers allowed per minute across all rooms.',
  },
  pineconeIndexHost: {
    envVar: 'PINECONE_INDEX_HOST',
    contextKey: 'pineconeIndexHost',
    defaultValue: '',
    description:
      'Host of the Pinecone index the bot retrieves passages from (e.g. chat-abc123.svc.aped-4627-b74a.pinecone.io); empty turns retrieval off (npm start serves its own).',
  },
  pineconeNamespace: {
    envVar: 'PINECONE_NAMESPACE',
    contextKey: 'pineconeNamespace',
    defaultValue: 'default',
    description: 'Pinecone namespace of the knowledge base.',
  },
  pineconeApiKeySecret: {
    envVar: 'PINECONE_API_KEY_SECRET',
    contextKey: 'pineconeApiKeySecret',
    defaultValue: '',
    description: 'Name or ARN of the Secrets Manager secret holding the Pinecone API key.',
  },
  embedder: {
    envVar: 'EMBEDDER',
    contextKey: 'embedder',
    defaultValue: 'titan',
    description: 'How questions and passages are embedded: titan (Bedrock Titan Text Embeddings V2) or offline (npm start).',
  },
  embeddingModelId: {
    envVar: 'EMBEDDING_MODEL_ID',
    contextKey: 'embeddingModelId',
    defaultValue: 'amazon.titan-embed-text-v2:0',
    description: 'Bedrock embedding model (1024 dimensions, normalized).',
  },
  retrievalTopK: {
    envVar: 'RETRIEVAL_TOP_K',
    contextKey: 'retrievalTopK',
    defaultValue: '5',
    description: 'Passages retrieved per question (1-20).',
  },
  retrievalMinScore: {
    envVar: 'RETRIEVAL_MIN_SCORE',
    contextKey: 'retrievalMinScore',
    defaultValue: '0.15',
    description: 'Matches scoring below this (cosine, -1 to 1) are not used; measured for the offline embedder, re-measure for Titan.',
  },
  logLevel: {
    envVar: 'LOG_LEVEL',
    contextKey: 'logLevel',
    defaultValue: 'INFO',
    description: 'Powertools logger level: DEBUG, INFO, WARN or ERROR.',
  },
  ...ADMISSION_SETTINGS,
} as const satisfies Record<string, SettingSpec>;
export type SettingName = keyof typeof SETTINGS;

/** Environment variable carrying the management API endpoint (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`). */
export const MANAGEMENT_API_ENV_VAR = 'MANAGEMENT_API_URL';

export const FUNCTIONS = {
  connect: {
    entry: 'lambdas/connect/handler.ts',
    description: 'WebSocket $connect/$disconnect: validates the handshake, registers the connection, announces presence',
    memoryMb: 256,
    timeoutSeconds: 10,
    routes: ['$connect', '$disconnect'],
    tables: { connections: 'readWrite' },
    writesTo: ['events'],
    manageConnections: false,
    settings: ['allowedOrigins', 'logLevel'],
    models: [],
    secrets: [],
  },
  message: {
    entry: 'lambdas/message/handler.ts',
    description: 'Client actions: validates each frame, puts room events on the stream, answers join/history',
    memoryMb: 256,
    timeoutSeconds: 10,
    routes: ['join', 'sendMessage', 'typing', 'history', '$default'],
    // readWrite: each connection's rate-limit buckets live on its row.
    tables: { connections: 'readWrite', messages: 'read' },
    writesTo: ['events'],
    manageConnections: true,
    settings: ['messageRatePerSecond', 'messageBurst', 'draftRatePerSecond', 'draftBurst', 'logLevel'],
    models: [],
    secrets: [],
  },
  fanout: {
    entry: 'lambdas/fanout/handler.ts',
    description: 'Consumes the event stream, keeps room history, posts each event to every connection in its room',
    memoryMb: 512,
    timeoutSeconds: 60,
    routes: [],
    consumes: {
      stream: 'events',
      enhancedFanOut: true,
      batchSize: 100,
      maxBatchingWindowSeconds: 0,
      retryAttempts: 5,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      maxRecordAgeSeconds: 3600,
      // Rooms never wait for each other's batches: up to 10 lanes per shard, one room's records always in one lane.
      parallelizationFactor: 10,
      startingPosition: 'LATEST',
      filterPatterns: [],
    },
    tables: { connections: 'readWrite', messages: 'write' },
    writesTo: ['events'],
    manageConnections: true,
    settings: ['historyTtlDays', 'fanoutConcurrency', 'logLevel'],
    models: [],
    secrets: [],
  },
  bot: {
    entry: 'lambdas/bot/handler.ts',
    description: "Answers people's messages token by token from the configured inference chain, streamed to the room",
    memoryMb: 512,
    timeoutSeconds: 300,
    routes: [],
    consumes: {
      stream: 'events',
      enhancedFanOut: true,
      batchSize: 20,
      maxBatchingWindowSeconds: 0,
      retryAttempts: 2,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      // A question older than this is not worth answering any more.
      maxRecordAgeSeconds: 300,
      // Rooms are answered in parallel; one room's answers stay in order (same partition key, same lane).
      parallelizationFactor: 10,
      startingPosition: 'LATEST',
      filterPatterns: [{ data: { frame: { type: ['user'] } } }],
    },
    tables: { messages: 'read', botBudget: 'readWrite' },
    writesTo: ['events'],
    manageConnections: false,
    settings: [
      'botTargets',
      'bedrockModelId',
      'llamaUrl',
      'llamaModel',
      'llamaApiKeySecret',
      'llamaProxyUrl',
      'botSystemPrompt',
      'botMaxOutputTokens',
      'botDeltaWindowMs',
      'botDeltaMaxChars',
      'botFirstTokenTimeoutMs',
      'botAnswersPerRoomPerMinute',
      'botAnswersPerMinute',
      'pineconeIndexHost',
      'pineconeNamespace',
      'pineconeApiKeySecret',
      'embedder',
      'embeddingModelId',
      'retrievalTopK',
      'retrievalMinScore',
      'logLevel',
    ],
    models: [
      { setting: 'bedrockModelId', actions: ['bedrock:InvokeModelWithResponseStream'] },
      { setting: 'embeddingModelId', actions: ['bedrock:InvokeModel'] },
    ],
    secrets: ['llamaApiKeySecret', 'pineconeApiKeySecret'],
  },
} as const satisfies Record<string, FunctionSpec>;
export type FunctionName = keyof typeof FUNCTIONS;

/** Shared by `NodejsFunction` and the local runtime's esbuild step, so both ship the same bundle. */
export const BUNDLING = {
  minify: true,
  sourceMap: true,
  /** Everything is bundled, the AWS SDK included, so the SDK version that runs is the one we test. */
  externalModules: [] as string[],
} as const;

/** Where the value of one of a function's environment variables comes from. */
export type EnvironmentSource =
  | { readonly kind: 'table'; readonly table: TableName }
  | { readonly kind: 'stream'; readonly stream: StreamName }
  | { readonly kind: 'managementApi' }
  | { readonly kind: 'setting'; readonly setting: SettingName };

/** The environment a function receives: variable name -> source, sorted by name. */
export function environmentSourcesOf(spec: FunctionSpec): [string, EnvironmentSource][] {
  const entries: [string, EnvironmentSource][] = [
    ...(Object.keys(spec.tables) as TableName[]).map(
      (table): [string, EnvironmentSource] => [TABLES[table].envVar, { kind: 'table', table }],
    ),
    ...streamsUsedBy(spec).map((stream): [string, EnvironmentSource] => [STREAMS[stream].envVar, { kind: 'stream', stream }]),
    ...(spec.manageConnections ? [[MANAGEMENT_API_ENV_VAR, { kind: 'managementApi' }] as [string, EnvironmentSource]] : []),
    ...spec.settings.map((setting): [string, EnvironmentSource] => [SETTINGS[setting].envVar, { kind: 'setting', setting }]),
  ];
  return [...new Map(entries)].sort(([a], [b]) => a.localeCompare(b));
}

/** Names of the environment variables a function receives, sorted. */
export function environmentKeysOf(spec: FunctionSpec): string[] {
  return environmentSourcesOf(spec).map(([key]) => key);
}

/** Streams a function reads or writes. */
export function streamsUsedBy(spec: FunctionSpec): StreamName[] {
  return [...new Set([...spec.writesTo, ...(spec.consumes ? [spec.consumes.stream] : [])])];
}

export function functionForRoute(route: RouteKey): FunctionName {
  const entry = (Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][]).find(([, spec]) =>
    spec.routes.includes(route),
  );
  if (!entry) throw new Error(`No function handles route ${route}`);
  return entry[0];
}
