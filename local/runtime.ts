import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { FUNCTIONS, ROUTE_KEYS, SETTINGS, functionForRoute, type FunctionName, type FunctionSpec, type StreamName, type TableName } from '../contract';
import { CheckpointStore } from './event-source/checkpoint-store';
import { FailureDestination } from './event-source/failure-destination';
import { KinesisEventSource } from './event-source/kinesis-event-source';
import { isManagementRequest, type ManagementStats } from './gateway/management-api';
import type { ManagementFaults } from './gateway/management-faults';
import { WebSocketGateway } from './gateway/websocket-gateway';
import { bundleFunctions } from './lambda/bundle-functions';
import { functionEnvironment } from './lambda/function-environment';
import { FunctionPool } from './lambda/function-pool';
import { resolveOptions, type LocalRuntimeOptions, type ResolvedOptions } from './runtime-options';
import { startLocalDynamoDb } from './services/local-dynamodb';
import { startLocalKinesis } from './services/local-kinesis';
import { LOCAL_REGION } from './services/local-credentials';
import { lockDataDir, recordRuntimePort, RUNTIME_FILES } from './data-dir-lock';
import type { IngestSummary } from '../ingest/ingest-summary';
import { localKnowledgeBase } from './knowledge/local-knowledge-base';
import { bundlePage } from './web/bundle-page';
import { startupSteps } from './startup-steps';
import { plain, serveWeb } from './web/serve-web';
import { PROJECT_ROOT } from '../lib/project-root';
import { ALL_INTERFACES, listen } from './listen';

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


/**
 * Runs the whole chat on one port: the page, the WebSocket API and its @connections management API, backed by the
 * very handlers that ship (bundled like NodejsFunction does), dynalite, kinesalite and Kinesis event source mappings,
 * all built from the same topology as the CDK stack.
 */
export async function startLocalRuntime(input: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const options = resolveOptions(input);
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    return await startOnLockedDataDir(options, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function startOnLockedDataDir(options: ResolvedOptions, unlock: () => void): Promise<LocalRuntime> {
  const { dataDir, log, stage } = options;
  if (options.fresh) {
    for (const entry of readdirSync(dataDir)) if (entry !== RUNTIME_FILES.pid) rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
  const buildDir = join(dataDir, 'build');
  const step = startupSteps(log);

  const [dynamoDb, kinesis, bundles] = await Promise.all([
    // The connections of the previous run died with it (API Gateway's would have outlived a function, not these):
    // their rows would count as people online until a post to each happened to answer 410.
    step('DynamoDB (dynalite) ready', startLocalDynamoDb({ path: join(dataDir, 'dynamodb'), tablePrefix: 'chat', emptyOnStart: ['connections'] })),
    step('Kinesis (kinesalite) ready', startLocalKinesis({ path: join(dataDir, 'kinesis'), streamPrefix: 'chat' })),
    step('bundled functions', bundleFunctions(join(buildDir, 'functions'))),
    step('bundled page', bundlePage(join(buildDir, 'web'))),
  ]);

  const knowledge = localKnowledgeBase(dataDir);
  let gateway: WebSocketGateway | undefined;
  const server = createServer((request, response) => {
    const url = request.url ?? '';
    // The knowledge base is served first: the runtime's own start-up ingestion goes through it.
    if (knowledge.matches(url)) return void knowledge.handle(request, response).catch((error: unknown) => log(`[pinecone] ${String(error)}`));
    if (!gateway) return plain(response, 503, 'Starting');
    const work = isManagementRequest(url)
      ? gateway.handleManagement(request, response)
      : serveWeb(request, response, { roots: [join(buildDir, 'web'), join(PROJECT_ROOT, 'web/public')], stage });
    work.catch((error: unknown) => {
      log(`[http] ${request.method} ${request.url}: ${(error as Error).message}`);
      if (!response.headersSent) plain(response, 500, 'Internal server error');
    });
  });
  server.on('upgrade', (request, socket, head: Buffer) => {
    if (!gateway) return void socket.destroy();
    void gateway.handleUpgrade(request, socket, head);
  });
  const port = await step((bound: number) => `listening on port ${bound}`, listen(server, options.port, options.host ?? ALL_INTERFACES));
  recordRuntimePort(dataDir, port);
  const managementApiUrl = `http://127.0.0.1:${port}/${stage}`;
  // With no Pinecone index configured, the bot retrieves from the local one, loaded with the sample knowledge base.
  const settings = { ...options.settings };
  const secretValues = { ...options.secretValues };
  if (settings.pineconeIndexHost === '') {
    const local = await step(
      (opened: { summary: IngestSummary }) => `knowledge base loaded (${opened.summary.files} files)`,
      knowledge.open(port, [join(PROJECT_ROOT, 'knowledge')], PROJECT_ROOT, log),
    );
    settings.pineconeIndexHost = local.indexHost;
    secretValues[SETTINGS.pineconeApiKeySecret.secret.valueEnvVar] ??= local.apiKey;
  }

  const pools = {} as Record<FunctionName, FunctionPool>;
  for (const [name, spec] of Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][]) {
    pools[name] = new FunctionPool({
      functionName: `chat-${name}`,
      bundlePath: bundles.functions[name],
      workerPath: bundles.worker,
      environment: functionEnvironment(name, {
        tableNames: dynamoDb.tableNames,
        streamNames: { events: kinesis.streams.events.name },
        managementApiUrl,
        settings,
        secretValues,
        dynamoDbEndpoint: dynamoDb.endpoint,
        kinesisEndpoint: kinesis.endpoint,
        inheritAwsCredentials: options.useBedrock,
      }),
      timeoutSeconds: spec.timeoutSeconds,
      memoryMb: spec.memoryMb,
      maxConcurrency: options.functionConcurrency,
      log: (line) => log(`[${name}] ${line}`),
    });
  }
  await step('functions started (one worker each)', Promise.all(Object.values(pools).map((pool) => pool.warm())));

  const checkpoints = new CheckpointStore(join(dataDir, 'checkpoints.json'));
  const failures = new FailureDestination(join(dataDir, 'failed-batches.jsonl'));
  const eventSources: KinesisEventSource[] = [];
  for (const [name, spec] of Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][]) {
    if (!spec.consumes) continue;
    const stream = kinesis.streams[spec.consumes.stream];
    const source = new KinesisEventSource({
      client: kinesis.client,
      streamName: stream.name,
      streamArn: stream.arn,
      region: LOCAL_REGION,
      functionName: name,
      spec: spec.consumes,
      invoke: (event) => pools[name].invoke(event),
      checkpoints,
      failures,
      log,
      retryBaseDelayMs: options.retryBaseDelayMs,
    });
    eventSources.push(source);
  }
  await step('stream consumers started', startInTurn(eventSources));

  gateway = new WebSocketGateway({
    stage,
    routes: ROUTE_KEYS,
    invoke: (route, event, connectionId) => pools[functionForRoute(route)].invoke(event, connectionId),
    limits: options.limits,
    log,
    managementLatencyMs: options.managementLatencyMs,
  });

  const liveGateway = gateway;
  return {
    port,
    pageUrl: `http://localhost:${port}/`,
    webSocketUrl: `ws://localhost:${port}`,
    managementApiUrl,
    dataDir,
    dynamoDb: { endpoint: dynamoDb.endpoint, tableNames: dynamoDb.tableNames },
    kinesis: { endpoint: kinesis.endpoint, streamNames: { events: kinesis.streams.events.name } },
    managementFaults: liveGateway.faults,
    failures,
    managementStats: () => ({ ...liveGateway.stats }),
    openConnectionIds: () => [...liveGateway.connections.values()].filter((c) => c.state === 'open').map((c) => c.connectionId),
    invocations: () =>
      Object.fromEntries(Object.entries(pools).map(([name, pool]) => [name, pool.invocations])) as Record<FunctionName, number>,
    // In dependency order: no new clients, then no new invocations, then no running ones (a fanout mid-batch would
    // otherwise retry posts against a closed @connections API), then the HTTP server, then the services. Records not
    // yet delivered stay after the checkpoint and are delivered after the next start.
    stop: async () => {
      await liveGateway.close();
      await Promise.all(eventSources.map((source) => source.stop()));
      checkpoints.flush();
      await Promise.all(Object.values(pools).map((pool) => pool.stop()));
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await Promise.all([dynamoDb.stop(), kinesis.stop(), knowledge.stop()]);
      unlock();
    },
  };
}

async function startInTurn(sources: readonly KinesisEventSource[]): Promise<void> {
  for (const source of sources) await source.start();
}
