/**
 * The one description of the system: routes, functions, the event stream and its consumers, tables and the settings
 * each function receives (declared in settings.ts). The CDK stack (lib/) builds AWS resources from it and the local
 * runtime (local/) builds its emulation from it, so the two cannot drift; test/cdk/topology.test.ts checks the
 * synthesized template against it.
 *
 * Plain data only (no imports outside contract/): the local runtime and the Lambdas read it too. Numbers carry their
 * unit in the name because this file is shared with code that has no `Duration` type.
 */
import { SETTINGS, type SecretSettingName, type SettingName } from './settings';

export const API = {
  routeSelectionExpression: '$request.body.action',
  /** API Gateway stage; the local gateway accepts the same path prefix. */
  defaultStageName: 'prod',
} as const;

export const ROUTE_KEYS = ['$connect', '$disconnect', 'join', 'sendMessage', 'typing', 'history', 'stopAnswer', '$default'] as const;
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
  /**
   * One row per live connection, and one per name held in a room (`connectionId` = `name#<room>#<folded name>`, no
   * `room` attribute, so in no index: lambdas/connect/name-claims.ts).
   */
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
  messages: {
    envVar: 'MESSAGES_TABLE',
    partitionKey: 'room',
    sortKey: 'id',
    timeToLiveAttribute: 'expiresAt',
    pointInTimeRecovery: true,
    indexes: {},
  },
  botBudget: {
    envVar: 'BOT_BUDGET_TABLE',
    partitionKey: 'key',
    timeToLiveAttribute: 'expiresAt',
    pointInTimeRecovery: false,
    withoutRecoveryBecause: 'its counters live for two minutes (TTL); a restore would bring back nothing of value',
    indexes: {},
  },
  botAnswers: {
    envVar: 'BOT_ANSWERS_TABLE',
    partitionKey: 'questionId',
    timeToLiveAttribute: 'expiresAt',
    pointInTimeRecovery: false,
    withoutRecoveryBecause:
      'an item matters only while its stream record can still be retried (minutes); items expire after a day (TTL)',
    indexes: {
      /** Answers still streaming (a sparse index: `open` is removed when an answer ends), to close abandoned ones. */
      openAnswers: { partitionKey: 'open', sortKey: 'claimedAt', nonKeyAttributes: ['answerId', 'replyTo', 'room'] },
    },
  },
} as const satisfies Record<string, TableSpec>;
export type TableName = keyof typeof TABLES;

export interface StreamSpec {
  readonly envVar: string;
  readonly shardCount: number;
  readonly retentionHours: number;
}

export const STREAMS = {
  events: {
    envVar: 'EVENTS_STREAM',
    shardCount: 1,
    retentionHours: 24,
  },
} as const satisfies Record<string, StreamSpec>;
export type StreamName = keyof typeof STREAMS;

/**
 * How a function consumes a stream, with AWS Lambda's event source mapping semantics. The stream is one of `STREAMS`
 * for this app's functions (`FunctionSpec.consumes`); the local runtime also runs other apps' streams.
 */
export interface StreamConsumerSpec<Stream extends string = string> {
  readonly stream: Stream;
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
   * Lambda event filtering on the record's JSON `data` (Kinesis mappings filter on `data` only): a record is delivered
   * if any pattern matches; with none, every record is. The local runtime evaluates Lambda's rules (values, `prefix`,
   * `suffix`, `equals-ignore-case`, `anything-but`, `numeric`, `exists`, `$or`) and refuses anything else at start.
   */
  readonly filterPatterns: readonly FilterPattern[];
}

/** One rule of a filter pattern's list: an exact value or one comparison operator. */
export type FilterRule =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'equals-ignore-case': string }
  | { readonly 'anything-but': string | number | readonly (string | number)[] | { readonly prefix: string } | { readonly suffix: string } }
  | { readonly numeric: readonly (string | number)[] }
  | { readonly exists: boolean };

/** A Lambda event filter pattern: nested objects ending in lists of rules (any may match); `$or` lists alternatives. */
export interface FilterPattern {
  readonly [key: string]: FilterPattern | readonly FilterRule[] | readonly FilterPattern[];
}

/** A Bedrock model the function may call, named by a setting holding its model or inference profile id. */
export interface ModelAccess {
  readonly setting: SettingName;
  readonly actions: readonly ('bedrock:InvokeModel' | 'bedrock:InvokeModelWithResponseStream')[];
}

/** The DynamoDB calls the functions make (item calls on a table; `Query` on a table or one of its indexes). */
export const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
] as const;
export type TableAction = (typeof TABLE_ACTIONS)[number];

/** Index names of a table, as `TABLES` declares them. */
export type IndexNameOf<T extends TableName> = keyof (typeof TABLES)[T]['indexes'] & string;

/**
 * What a function does with one table, call by call: the stack grants exactly these actions on exactly these
 * resources (test/cdk/grants.test.ts compares the synthesized policies with this declaration).
 */
export interface TableAccess<Index extends string = string> {
  /** Calls on the table itself (its ARN). */
  readonly actions: readonly TableAction[];
  /** Indexes the function Queries (`<table-arn>/index/<name>`, nothing else of the table's indexes). */
  readonly queriesIndexes?: readonly Index[];
}

/** Per table, the access a function has; a table it does not name it cannot reach. */
export type TablesAccess = { readonly [T in TableName]?: TableAccess<IndexNameOf<T>> };

/**
 * The one Kinesis call the functions make on a stream they write to (EventBus.publish): the stack grants it and no
 * other (the stream is encrypted with the AWS-managed key, which needs no KMS grant).
 */
export const STREAM_WRITE_ACTIONS = ['kinesis:PutRecord'] as const;

export interface FunctionSpec {
  /** Path of the handler module from the project root; it exports `handler`. */
  readonly entry: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly routes: readonly RouteKey[];
  readonly consumes?: StreamConsumerSpec<StreamName>;
  /** Tables it reaches, each with the exact calls it makes (see `TableAccess`). */
  readonly tables: TablesAccess;
  /** Streams the function writes to. */
  readonly writesTo: readonly StreamName[];
  /** Whether it posts to / deletes WebSocket connections through the @connections management API. */
  readonly manageConnections: boolean;
  readonly settings: readonly SettingName[];
  /** Bedrock models the function invokes (only those; by the id a setting holds). */
  readonly models: readonly ModelAccess[];
}

/** Environment variable carrying the management API endpoint (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`). */
export const MANAGEMENT_API_ENV_VAR = 'MANAGEMENT_API_URL';

export const FUNCTIONS = {
  connect: {
    entry: 'lambdas/connect/handler.ts',
    memoryMb: 256,
    timeoutSeconds: 10,
    routes: ['$connect', '$disconnect'],
    // register (Put) under a name claimed for it (conditional Update of the name's row), remove on $disconnect (Delete,
    // returning the row to announce the departure) and release the name (Update, then Delete of a row nobody holds).
    tables: { connections: { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] } },
    writesTo: ['events'],
    manageConnections: false,
    settings: ['allowedOrigins', 'botName', 'logLevel'],
    models: [],
  },
  message: {
    entry: 'lambdas/message/handler.ts',
    memoryMb: 256,
    timeoutSeconds: 10,
    routes: ['join', 'sendMessage', 'typing', 'history', 'stopAnswer', '$default'],
    tables: {
      // The sender's row (Get), its rate-limit buckets (Update), `welcome`'s member list (the roomMembers index).
      connections: { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], queriesIndexes: ['roomMembers'] },
      // join and history read a page of the room's history.
      messages: { actions: ['dynamodb:Query'] },
      // Is a reply's target a bot answer (Get); stopAnswer marks the answer's claim (conditional Update; a refused one
      // is read to say why).
      botAnswers: { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] },
    },
    writesTo: ['events'],
    manageConnections: true,
    settings: [
      'messageRatePerSecond',
      'messageBurst',
      'draftRatePerSecond',
      'draftBurst',
      'botReplies',
      'botName',
      'logLevel',
      'metricsDisabled',
    ],
    models: [],
  },
  fanout: {
    entry: 'lambdas/fanout/handler.ts',
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
    tables: {
      // Who to post to (the byRoom index); connections API Gateway says are gone are deleted and their names freed.
      connections: { actions: ['dynamodb:DeleteItem', 'dynamodb:UpdateItem'], queriesIndexes: ['byRoom'] },
      // History is kept with one idempotent Put per message.
      messages: { actions: ['dynamodb:PutItem'] },
    },
    writesTo: ['events'],
    manageConnections: true,
    settings: ['historyTtlDays', 'fanoutConcurrency', 'logLevel', 'metricsDisabled'],
    models: [],
  },
  bot: {
    entry: 'lambdas/bot/handler.ts',
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
      // Only the messages the message function marked as asking the bot (botReplies, a mention, a reply to an answer):
      // ordinary chatter never invokes the bot.
      filterPatterns: [{ data: { frame: { type: ['user'] }, askBot: [true] } }],
    },
    tables: {
      // The conversation before the question (a Query on the room's history).
      messages: { actions: ['dynamodb:Query'] },
      // Atomic conditional counters (Update with ADD); never read back.
      botBudget: { actions: ['dynamodb:UpdateItem'] },
      // Claims on questions (BatchGet, conditional Put/Update), a streaming answer's stop request (Get, a few a
      // second) and the answers still open (the openAnswers index).
      botAnswers: {
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        queriesIndexes: ['openAnswers'],
      },
    },
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
      'botOfflineDelayMs',
      'botFirstTokenTimeoutMs',
      'botAnswersPerRoomPerMinute',
      'botAnswersPerMinute',
      'botAnswersPerConnectionPerMinute',
      'botAnswersPerSourceIpPerMinute',
      'pineconeIndexHost',
      'pineconeNamespace',
      'pineconeApiKeySecret',
      'embedder',
      'embeddingModelId',
      'retrievalTopK',
      'retrievalMinScore',
      'logLevel',
      'metricsDisabled',
    ],
    models: [
      { setting: 'bedrockModelId', actions: ['bedrock:InvokeModelWithResponseStream'] },
      { setting: 'embeddingModelId', actions: ['bedrock:InvokeModel'] },
    ],
  },
} as const satisfies Record<string, FunctionSpec>;
export type FunctionName = keyof typeof FUNCTIONS;

/** Shared by `NodejsFunction` and the local runtime's esbuild step, so both ship the same bundle. */
export const BUNDLING = {
  minify: true,
  sourceMap: true,
  /**
   * Everything is bundled, the AWS SDK included, so the SDK version that runs is the one we test (leaving it to the
   * runtime's copy makes the bundles small but their init no faster: `npm run bench:cold`, README "Cold start").
   */
  externalModules: [] as string[],
  /**
   * ES modules first: the SDK (and zod) ship them beside CommonJS, and only ES modules let esbuild drop what a
   * function never uses (other clients' commands, their schemas, the browser parts), which halves module init.
   */
  mainFields: ['module', 'main'] as string[],
  /**
   * Modules replaced in every bundle, by the file (relative to the project root) that stands in for them. The SDK's
   * default credential chain becomes its first link, the environment, where Lambda and the local runtime put the
   * credentials (lambdas/shared/aws/env-credential-provider.ts): about 90 KB less per bundle. The DynamoDB client's
   * endpoint-discovery cache, unused unless discovery is turned on, gets a `Map`-based LRU instead of mnemonist's
   * (lambdas/shared/aws/lru-cache.ts): 7 KB less.
   */
  alias: {
    '@aws-sdk/credential-provider-node': './lambdas/shared/aws/env-credential-provider.ts',
    'mnemonist/lru-cache': './lambdas/shared/aws/lru-cache.ts',
  } as Record<string, string>,
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

/** The function's settings that name a Secrets Manager secret it reads (when set). */
export function secretSettingsOf(spec: FunctionSpec): SecretSettingName[] {
  return spec.settings.filter((setting): setting is SecretSettingName => 'secret' in SETTINGS[setting]);
}

/** The functions that consume a stream, in `FUNCTIONS` order. */
export function consumersOf(stream: StreamName): FunctionName[] {
  return (Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][])
    .filter(([, spec]) => spec.consumes?.stream === stream)
    .map(([name]) => name);
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
