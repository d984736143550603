import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { join, resolve } from 'node:path';
import type { StreamConsumerSpec } from '../../contract';
import { lockDataDir, recordRuntimePort, RUNTIME_FILES } from '../data-dir-lock';
import { CheckpointStore } from '../event-source/checkpoint-store';
import { FailureDestination } from '../event-source/failure-destination';
import { KinesisEventSource } from '../event-source/kinesis-event-source';
import { API_GATEWAY_LIMITS } from '../gateway/limits';
import { isManagementRequest, type ManagementStats } from '../gateway/management-api';
import type { ManagementFaults } from '../gateway/management-faults';
import { WebSocketGateway } from '../gateway/websocket-gateway';
import { bundleFunctions } from '../lambda/bundle-functions';
import { FunctionFaults } from '../lambda/function-faults';
import { FunctionPool } from '../lambda/function-pool';
import { lambdaEnvironment } from '../lambda/lambda-environment';
import { closeServer, listen } from '../listen';
import type { CredentialVariables } from '../services/inherited-credentials';
import { startDynamoDbWithTables } from '../services/local-dynamodb';
import { LOCAL_REGION } from '../services/local-credentials';
import { KinesisFaults } from '../services/kinesis-faults';
import { startKinesisWithStreams, type LocalStream } from '../services/local-kinesis';
import { startupSteps } from '../startup-steps';
import type { AppAddresses, LocalAppOptions, LocalEventSourceSpec, LocalWebSocketAppSpec } from './app-spec';
import { localCertificate } from './local-certificate';

export interface LocalWebSocketApp<Stream extends string = string> extends AppAddresses {
  dataDir: string;
  dynamoDb: { endpoint: string };
  /** The local Kinesis and the streams, by the names the spec gave them. */
  kinesis: { endpoint: string; streams: Record<Stream, LocalStream> };
  /** Failures the @connections API answers for chosen connections (tests only; none by default). */
  managementFaults: ManagementFaults;
  /**
   * Fault injection, for tests only (docs/local-runtime.md): @connections failures, and, with `faultInjection`,
   * failing or hanging Kinesis writes and imposed function timeouts.
   */
  faults: { connections: ManagementFaults; kinesis: KinesisFaults; functions: FunctionFaults };
  /** Batches the event source mappings gave up on (the on-failure destination). */
  failures: FailureDestination;
  /** Counters of the @connections API (posts delivered, posts answered 410). */
  managementStats(): Readonly<ManagementStats>;
  /** Ids of the connections that are open now (past $connect). */
  openConnectionIds(): string[];
  /** How many invocations each function was asked for (what Lambda would bill as requests). */
  invocations(): Record<string, number>;
  stop(): Promise<void>;
}

/** Lambda's own defaults for an event source mapping on a stream (-1, "no limit", is Infinity here). */
const EVENT_SOURCE_DEFAULTS = {
  enhancedFanOut: false,
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  retryAttempts: Infinity,
  bisectBatchOnError: false,
  reportBatchItemFailures: false,
  maxRecordAgeSeconds: Infinity,
  parallelizationFactor: 1,
  startingPosition: 'LATEST',
  filterPatterns: [],
} as const satisfies Omit<StreamConsumerSpec, 'stream'>;

/**
 * Runs a WebSocket app locally on one port: API Gateway's WebSocket API and @connections API, its functions in
 * Lambda-like execution environments (worker threads running esbuild bundles), DynamoDB (dynalite), Kinesis
 * (kinesalite) and Kinesis event source mappings, persisted in `dataDir`. See docs/local-runtime.md.
 */
export async function startLocalWebSocketApp<Function extends string, Stream extends string = never>(
  spec: LocalWebSocketAppSpec<Function, Stream>,
  options: LocalAppOptions,
): Promise<LocalWebSocketApp<Stream>> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    return await startOnLockedDataDir(spec, { ...options, dataDir }, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function startOnLockedDataDir<Function extends string, Stream extends string>(
  spec: LocalWebSocketAppSpec<Function, Stream>,
  options: LocalAppOptions,
  unlock: () => void,
): Promise<LocalWebSocketApp<Stream>> {
  const { dataDir } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const stage = spec.stage ?? 'prod';
  const appName = spec.name ?? 'app';
  if (options.fresh) {
    for (const entry of readdirSync(dataDir)) if (entry !== RUNTIME_FILES.pid) rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
  const step = startupSteps(log);
  const functionNames = Object.keys(spec.functions) as Function[];
  const entries = Object.fromEntries(functionNames.map((name) => [name, spec.functions[name].entry])) as Record<Function, string>;

  const starting = [
    step('DynamoDB (dynalite) ready', startDynamoDbWithTables({ path: join(dataDir, 'dynamodb'), tables: spec.tables ?? {} })),
    step('Kinesis (kinesalite) ready', startKinesisWithStreams({ path: join(dataDir, 'kinesis'), streams: spec.streams ?? {} })),
    step((built: { reused: boolean }) => (built.reused ? 'bundled functions (reused)' : 'bundled functions'), bundleFunctions(entries)),
    localCertificate(join(dataDir, 'tls'), log),
    options.onStarting?.(),
  ] as const;
  const started = await Promise.allSettled(starting);
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    // The services that did start are stopped, so a failed start leaves nothing running.
    for (const outcome of started.slice(0, 2)) if (outcome.status === 'fulfilled') await (outcome.value as { stop(): Promise<void> }).stop();
    throw failed.reason;
  }
  const [dynamoDb, kinesis, bundles, certificate] = await Promise.all(starting);

  let gateway: WebSocketGateway | undefined;
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '';
    let work: Promise<void>;
    if (isManagementRequest(url)) {
      if (!gateway) return reply(response, 503, 'Starting');
      work = gateway.handleManagement(request, response);
    } else if (options.onRequest) work = options.onRequest(request, response);
    else return reply(response, 404, 'Not found');
    work.catch((error: unknown) => {
      log(`[http] ${request.method} ${request.url}: ${(error as Error).message}`);
      if (!response.headersSent) reply(response, 500, 'Internal server error');
    });
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!gateway) return void socket.destroy();
    void gateway.handleUpgrade(request, socket, head);
  };
  const server = createHttpServer(onRequest).on('upgrade', onUpgrade);
  // API Gateway's domain name serves both APIs over TLS: handlers that build `https://{domainName}/{stage}` (as AWS's
  // samples do) reach this server, which only this machine can reach.
  const secureServer = certificate ? createHttpsServer(certificate, onRequest).on('upgrade', onUpgrade) : undefined;
  const servers = [server, ...(secureServer ? [secureServer] : [])];
  const [port, securePort] = await Promise.all([
    step((bound: number) => `listening on port ${bound}`, listen(server, options.port ?? 0, options.host ?? '127.0.0.1')),
    secureServer ? listen(secureServer, 0, '127.0.0.1') : Promise.resolve(undefined),
  ]);
  recordRuntimePort(dataDir, port);
  const addresses: AppAddresses = {
    port,
    webSocketUrl: `ws://localhost:${port}`,
    managementApiUrl: `http://127.0.0.1:${port}/${stage}`,
    domainName: securePort === undefined ? undefined : `localhost:${securePort}`,
  };
  const stopServices = async () => {
    for (const each of servers) each.closeAllConnections();
    await Promise.all(servers.map((each) => closeServer(each)));
    await Promise.all([dynamoDb.stop(), kinesis.stop(), options.onStop?.()]);
  };
  let inheritedCredentials: CredentialVariables | undefined;
  try {
    await options.onListening?.(addresses);
    inheritedCredentials = await options.awsCredentials?.();
  } catch (error) {
    await stopServices();
    throw error;
  }

  const kinesisFaults = new KinesisFaults(options.faultInjection ?? false);
  const functionFaults = new FunctionFaults(options.faultInjection ?? false);
  const pools = {} as Record<Function, FunctionPool>;
  for (const name of functionNames) {
    const kinesisEndpoint = options.faultInjection ? await kinesisFaults.proxyFor(name, kinesis.endpoint) : kinesis.endpoint;
    const fn = spec.functions[name];
    const functionName = `${appName}-${name}`;
    const memoryMb = fn.memoryMb ?? 128;
    const standard = lambdaEnvironment({
      functionName,
      memoryMb,
      endpoints: { dynamoDb: dynamoDb.endpoint, kinesis: kinesisEndpoint, managementApi: addresses.managementApiUrl },
      inheritedCredentials,
    });
    const own = typeof fn.environment === 'function' ? fn.environment(addresses) : (fn.environment ?? {});
    pools[name] = new FunctionPool({
      functionName,
      bundlePath: bundles.functions[name],
      workerPath: bundles.worker,
      handlerName: fn.handler,
      environment: { ...standard.endpoints, ...own, ...standard.reserved },
      trustedCertificates: certificate ? [certificate.cert] : [],
      timeoutSeconds: fn.timeoutSeconds ?? 3,
      memoryMb,
      maxConcurrency: options.functionConcurrency ?? 8,
      warmEnvironments: fn.warmEnvironments ?? 1,
      log: (line) => log(`[${name}] ${line}`),
      ...(options.faultInjection ? { imposedTimeout: () => functionFaults.takeTimeout(name) } : {}),
    });
  }
  const allPools = Object.values<FunctionPool>(pools);
  await step('functions started', Promise.all(allPools.map((pool) => pool.warm())));

  const checkpoints = new CheckpointStore(join(dataDir, 'checkpoints.json'));
  const failures = new FailureDestination(join(dataDir, 'failed-batches.jsonl'));
  const eventSources = (spec.eventSources ?? []).map((mapping: LocalEventSourceSpec<Function, Stream>) => {
    const stream = kinesis.streams[mapping.stream];
    if (!stream) throw new Error(`Event source of ${mapping.function}: no stream ${mapping.stream}`);
    return new KinesisEventSource({
      client: kinesis.client,
      streamName: stream.name,
      streamArn: stream.arn,
      region: LOCAL_REGION,
      functionName: mapping.function,
      spec: eventSourceSpec(mapping),
      invoke: (event, requestId, lane) => pools[mapping.function].invoke(event, '', requestId, `${mapping.stream} ${lane}`),
      checkpoints,
      failures,
      log,
      retryBaseDelayMs: options.retryBaseDelayMs,
      writes: kinesis.writes,
    });
  });
  await step('stream consumers started', startInTurn(eventSources));

  const routes = spec.routes as Readonly<Record<string, Function>>;
  gateway = new WebSocketGateway({
    stage,
    routes: Object.keys(routes),
    routeSelectionExpression: spec.routeSelectionExpression,
    domainName: addresses.domainName,
    invoke: (route, event, connectionId) => {
      const name = routes[route];
      if (name !== undefined) return pools[name].invoke(event, connectionId);
      // API Gateway accepts every handshake, and reports no disconnect, to an API without these routes.
      if (route === '$connect' || route === '$disconnect') return Promise.resolve(undefined);
      return Promise.reject(new Error(`No route ${route}`));
    },
    limits: { ...API_GATEWAY_LIMITS, ...options.limits },
    log,
    managementLatencyMs: options.managementLatencyMs,
  });

  const liveGateway = gateway;
  return {
    ...addresses,
    dataDir,
    dynamoDb: { endpoint: dynamoDb.endpoint },
    kinesis: { endpoint: kinesis.endpoint, streams: kinesis.streams as Record<Stream, LocalStream> },
    managementFaults: liveGateway.faults,
    faults: { connections: liveGateway.faults, kinesis: kinesisFaults, functions: functionFaults },
    failures,
    managementStats: () => ({ ...liveGateway.stats }),
    openConnectionIds: () => [...liveGateway.connections.values()].filter((c) => c.state === 'open').map((c) => c.connectionId),
    invocations: () => Object.fromEntries(functionNames.map((name) => [name, pools[name].invocations])),
    // In dependency order: no new clients, then no new invocations, then no running ones (a function mid-batch would
    // otherwise retry posts against a closed @connections API), then the HTTP servers, then the services. Records not
    // yet delivered stay after the checkpoint and are delivered after the next start.
    stop: async () => {
      await liveGateway.close();
      await Promise.all(eventSources.map((source) => source.stop()));
      checkpoints.close();
      await Promise.all(allPools.map((pool) => pool.stop()));
      await kinesisFaults.stop();
      await stopServices();
      unlock();
    },
  };
}

/** The mapping as the event source reads it: Lambda's defaults for what is left out, -1 (no limit) as Infinity. */
export function eventSourceSpec<Function extends string, Stream extends string>(mapping: LocalEventSourceSpec<Function, Stream>): StreamConsumerSpec {
  const { function: _function, ...given } = mapping;
  const spec = { ...EVENT_SOURCE_DEFAULTS, ...given };
  return {
    ...spec,
    retryAttempts: spec.retryAttempts === -1 ? Infinity : spec.retryAttempts,
    maxRecordAgeSeconds: spec.maxRecordAgeSeconds === -1 ? Infinity : spec.maxRecordAgeSeconds,
  };
}

async function startInTurn(sources: readonly KinesisEventSource[]): Promise<void> {
  for (const source of sources) await source.start();
}

function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}
