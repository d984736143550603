import { join } from 'node:path';
import { FUNCTIONS, ROUTE_KEYS, SETTINGS, STREAMS, TABLES, functionForRoute, type FunctionName, type FunctionSpec, type StreamName, type TableName } from '../contract';
import type { FailureDestination } from './event-source/failure-destination';
import type { ManagementStats } from './gateway/management-api';
import type { ManagementFaults } from './gateway/management-faults';
import type { FunctionFaults } from './lambda/function-faults';
import type { KinesisFaults } from './services/kinesis-faults';
import { functionEnvironment } from './lambda/function-environment';
import { resolveOptions, type LocalRuntimeOptions } from './runtime-options';
import { chatTable } from './services/local-dynamodb';
import type { IngestSummary } from '../ingest/ingest-summary';
import { localKnowledgeBase, type LocalKnowledgeBase } from './knowledge/local-knowledge-base';
import { bundlePage } from './web/bundle-page';
import { startupSteps } from './startup-steps';
import { inheritedCredentialVariables } from './services/inherited-credentials';
import { plain, serveWeb } from './web/serve-web';
import { PROJECT_ROOT } from '../lib/project-root';
import type { LocalFunctionSpec, LocalWebSocketAppSpec } from './app/app-spec';
import { startLocalWebSocketApp } from './app/start-local-web-socket-app';

export type { LocalRuntimeOptions } from './runtime-options';

export interface LocalRuntime {
  port: number;
  pageUrl: string;
  webSocketUrl: string;
  managementApiUrl: string;
  dataDir: string;
  /** The local DynamoDB and its table names, for tools and tests that look behind the API. */
  dynamoDb: { endpoint: string; tableNames: Record<TableName, string> };
  /** The local Kinesis and its stream names, for tools that read the bus (benchmarks, and tests that put records as a producer would). */
  kinesis: { endpoint: string; streamNames: Record<StreamName, string> };
  /** Failures the @connections API answers for chosen connections (tests only; none by default). */
  managementFaults: ManagementFaults;
  /**
   * Fault injection, for tests only (docs/local-runtime.md): @connections failures, and, when started with
   * `faultInjection: true`, failing or hanging Kinesis writes and imposed function timeouts.
   */
  faults: { connections: ManagementFaults; kinesis: KinesisFaults; functions: FunctionFaults };
  /** Batches the stream consumers gave up on (the on-failure destination). */
  failures: FailureDestination;
  /**
   * Counters of the local @connections API (posts delivered, posts answered 410), for benchmarks: they count what
   * the handlers did through the real API without any change to them.
   */
  managementStats(): Readonly<ManagementStats>;
  /** Ids of the connections that are open now (past $connect), for benchmarks that post to them directly. */
  openConnectionIds(): string[];
  /** How many times each function was invoked since start (tests: what never reached a function cost nothing). */
  invocations(): Record<FunctionName, number>;
  stop(): Promise<void>;
}


/** The chat's tables and streams are named `chat-<name>` locally. */
const PREFIX = 'chat';
const TABLE_NAMES = Object.fromEntries(Object.keys(TABLES).map((name) => [name, `${PREFIX}-${name}`])) as Record<TableName, string>;
const STREAM_NAMES = Object.fromEntries(Object.keys(STREAMS).map((name) => [name, `${PREFIX}-${name}`])) as Record<StreamName, string>;

/**
 * Runs the whole chat on one port: the page, the WebSocket API and its @connections management API, backed by the
 * very handlers that ship (bundled like NodejsFunction does), dynalite, kinesalite and Kinesis event source mappings,
 * all built from the same topology as the CDK stack: the local runtime (local/app) fed with contract/topology.ts.
 */
export async function startLocalRuntime(input: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const options = resolveOptions(input);
  const { dataDir, log, stage } = options;
  const buildDir = join(dataDir, 'build');
  const step = startupSteps(log);
  // Opened once the app holds the data folder (and has emptied it, with fresh): the index is kept in that folder.
  let knowledge: LocalKnowledgeBase | undefined;
  // With no Pinecone index configured, the bot retrieves from the local one, loaded with the sample knowledge base.
  const settings = { ...options.settings };
  const secretValues = { ...options.secretValues };
  let pageReady = false;

  const app = await startLocalWebSocketApp(chatApp(stage, (name, managementApiUrl) =>
    functionEnvironment(name, { tableNames: TABLE_NAMES, streamNames: STREAM_NAMES, managementApiUrl, settings, secretValues }),
  ), {
    port: options.port,
    host: options.host,
    dataDir,
    fresh: options.fresh,
    limits: options.limits,
    functionConcurrency: options.functionConcurrency,
    managementLatencyMs: options.managementLatencyMs,
    retryBaseDelayMs: options.retryBaseDelayMs,
    faultInjection: options.faultInjection,
    awsCredentials: options.useBedrock ? () => step('AWS credentials resolved for Bedrock', inheritedCredentialVariables()) : undefined,
    log,
    onStarting: () => {
      knowledge = localKnowledgeBase(dataDir);
      return step('bundled page', bundlePage(join(buildDir, 'web')));
    },
    onRequest: async (request, response) => {
      const url = request.url ?? '';
      // The knowledge base is served first: the runtime's own start-up ingestion goes through it.
      if (knowledge?.matches(url)) return void knowledge.handle(request, response).catch((error: unknown) => log(`[pinecone] ${String(error)}`));
      if (!pageReady) return plain(response, 503, 'Starting');
      await serveWeb(request, response, { roots: [join(buildDir, 'web'), join(PROJECT_ROOT, 'web/public')], stage });
    },
    onListening: async ({ port }) => {
      if (settings.pineconeIndexHost !== '' || !knowledge) return;
      const local = await step(
        (opened: { summary: IngestSummary }) => `knowledge base loaded (${opened.summary.files} files)`,
        knowledge.open(port, [join(PROJECT_ROOT, 'knowledge')], PROJECT_ROOT, log),
      );
      settings.pineconeIndexHost = local.indexHost;
      secretValues[SETTINGS.pineconeApiKeySecret.secret.valueEnvVar] ??= local.apiKey;
    },
    onStop: async () => knowledge?.stop(),
  });
  pageReady = true;

  return {
    port: app.port,
    pageUrl: `http://localhost:${app.port}/`,
    webSocketUrl: app.webSocketUrl,
    managementApiUrl: app.managementApiUrl,
    dataDir: app.dataDir,
    dynamoDb: { endpoint: app.dynamoDb.endpoint, tableNames: TABLE_NAMES },
    kinesis: { endpoint: app.kinesis.endpoint, streamNames: STREAM_NAMES },
    managementFaults: app.managementFaults,
    faults: app.faults,
    failures: app.failures,
    managementStats: app.managementStats,
    openConnectionIds: app.openConnectionIds,
    invocations: app.invocations as () => Record<FunctionName, number>,
    stop: app.stop,
  };
}

/**
 * Environments a function starts with. Every event of every room passes through fanout: the first time two rooms'
 * batches overlapped, a second environment started then (about 300 ms of CPU, and a slow first invocation) on the same
 * two cores both rooms need. While one room flooded, that was the other room's worst moment (`npm run bench --
 * --scenario flood`: 3.0x and 3.8x of its p99 alone, against 1.2x and 1.0x with two started ahead).
 */
const WARM_ENVIRONMENTS: Partial<Record<FunctionName, number>> = { fanout: 2 };

/** The chat's topology as a local WebSocket app: each function with its routes, tables, streams and consumers. */
function chatApp(
  stage: string,
  environmentOf: (name: FunctionName, managementApiUrl: string) => Record<string, string>,
): LocalWebSocketAppSpec<FunctionName, string> {
  const specs = Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][];
  const functions = Object.fromEntries(
    specs.map(([name, spec]): [FunctionName, LocalFunctionSpec] => [
      name,
      {
        entry: join(PROJECT_ROOT, spec.entry),
        environment: ({ managementApiUrl }) => environmentOf(name, managementApiUrl),
        timeoutSeconds: spec.timeoutSeconds,
        memoryMb: spec.memoryMb,
        warmEnvironments: WARM_ENVIRONMENTS[name],
      },
    ]),
  ) as Record<FunctionName, LocalFunctionSpec>;
  return {
    name: PREFIX,
    stage,
    routeSelectionExpression: '$request.body.action',
    functions,
    routes: Object.fromEntries(ROUTE_KEYS.map((route) => [route, functionForRoute(route)])),
    // The connections of the previous run died with it (API Gateway's would have outlived a function, not these):
    // their rows would count as people online until a post to each happened to answer 410.
    tables: Object.fromEntries(
      (Object.keys(TABLES) as TableName[]).map((name) => [TABLE_NAMES[name], chatTable(TABLES[name], name === 'connections')]),
    ),
    streams: Object.fromEntries((Object.keys(STREAMS) as StreamName[]).map((name) => [STREAM_NAMES[name], { shardCount: STREAMS[name].shardCount }])),
    eventSources: specs.flatMap(([name, spec]) => (spec.consumes ? [{ ...spec.consumes, function: name, stream: STREAM_NAMES[spec.consumes.stream] }] : [])),
  };
}
