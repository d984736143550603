import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StreamConsumerSpec } from '../../contract';
import type { GatewayLimits } from '../gateway/limits';
import type { CredentialVariables } from '../services/inherited-credentials';
import type { LocalTableSpec } from '../services/local-dynamodb';
import type { LocalStreamSpec } from '../services/local-kinesis';

export type { LocalTableSpec } from '../services/local-dynamodb';
export type { LocalStreamSpec } from '../services/local-kinesis';

/** Where the running app is, for functions' environments and for clients. */
export interface AppAddresses {
  port: number;
  /** `ws://localhost:{port}` (`/{stage}` is accepted too). */
  webSocketUrl: string;
  /** The @connections API with its stage, `http://127.0.0.1:{port}/{stage}`. */
  managementApiUrl: string;
  /**
   * What events carry as `requestContext.domainName`: `https://{domainName}/{stage}` is the @connections API over
   * HTTPS (and `wss://{domainName}/{stage}` the WebSocket API), as on API Gateway. The Host header of the handshake
   * when the runtime could not make a certificate.
   */
  domainName: string | undefined;
}

/** A Lambda function: a handler module bundled with esbuild as `NodejsFunction` bundles it. */
export interface LocalFunctionSpec {
  /** The module exporting the handler (TypeScript or JavaScript); a relative path is from the current directory. */
  entry: string;
  /** The handler's export name. @default 'handler' */
  handler?: string;
  /**
   * The function's own variables (table names, settings). Besides them every function gets the `AWS_ENDPOINT_URL_*`
   * variables of the local services (which these may override), and credentials, region and the `AWS_LAMBDA_*`
   * variables (which they may not, as in Lambda). A function of the addresses when it needs them.
   */
  environment?: Readonly<Record<string, string>> | ((app: AppAddresses) => Readonly<Record<string, string>>);
  /** @default 3 (Lambda's default) */
  timeoutSeconds?: number;
  /** @default 128 (Lambda's default) */
  memoryMb?: number;
  /**
   * Environments started with the app, before any invocation (locally only: Lambda starts them on demand, unless
   * given provisioned concurrency). More start on demand, up to the function's concurrency. @default 1
   */
  warmEnvironments?: number;
}

/** A Kinesis event source mapping: Lambda's defaults for whatever is left out (batch 100, no retry limit, ...). */
export type LocalEventSourceSpec<Function extends string, Stream extends string> = Partial<Omit<StreamConsumerSpec, 'stream'>> & {
  function: Function;
  stream: Stream;
};

/**
 * A WebSocket API and what it runs: route keys to functions, DynamoDB tables, Kinesis streams and their event source
 * mappings. Names of tables and streams are their full names, as the functions' environment gives them.
 */
export interface LocalWebSocketAppSpec<Function extends string = string, Stream extends string = string> {
  /** Prefix of the function names (`{name}-{function}`, `AWS_LAMBDA_FUNCTION_NAME`). @default 'app' */
  name?: string;
  /** @default 'prod' */
  stage?: string;
  /** `$request.body.<path>`. @default '$request.body.action' */
  routeSelectionExpression?: `$request.body.${string}`;
  /** The functions, by name. */
  functions: Readonly<Record<Function, LocalFunctionSpec>>;
  /**
   * Route key (`$connect`, `$disconnect`, `$default`, or a value of the route selection expression) to the function
   * integrated with it. Without `$connect` every handshake is accepted, as on API Gateway.
   */
  routes: Readonly<Record<string, NoInfer<Function>>>;
  tables?: Readonly<Record<string, LocalTableSpec>>;
  streams?: Readonly<Record<Stream, LocalStreamSpec>>;
  eventSources?: readonly LocalEventSourceSpec<NoInfer<Function>, NoInfer<Stream>>[];
}

export interface LocalAppOptions {
  /** @default 0: a free port */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  /** Where DynamoDB, Kinesis, the bundles, checkpoints and failed batches persist; the runtime locks it. */
  dataDir: string;
  /** Start with empty tables and streams. @default false */
  fresh?: boolean;
  /** @default API Gateway's own limits */
  limits?: Partial<GatewayLimits>;
  /** Execution environments per function. @default 8 */
  functionConcurrency?: number;
  /** Delay added to every @connections call. @default 0 */
  managementLatencyMs?: number;
  /** First delay before a stream consumer retries a failed batch; doubles per attempt. @default 100 */
  retryBaseDelayMs?: number;
  /**
   * Tests only: each function reaches Kinesis through a proxy that can fail or hang its writes, and a function's next
   * invocation can be given a shorter timeout (`faults` of the started app). @default false
   */
  faultInjection?: boolean;
  /**
   * Resolves the AWS credentials the functions get instead of the dummy local ones (e.g. this process's, with
   * `inheritedCredentialVariables`); called once, after `onListening`. Their region is this process's then.
   * @default - dummy credentials the local services accept, and us-east-1
   */
  awsCredentials?: () => Promise<CredentialVariables>;
  /** Runtime and function log lines. @default console.log */
  log?: (line: string) => void;
  /** Serves the HTTP requests that are not @connections calls (e.g. a page). @default 404 */
  onRequest?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  /** Runs alongside the start of the services, once the data folder is locked (and emptied, with `fresh`). */
  onStarting?: () => Promise<unknown>;
  /** Runs once the port is known, before the functions start (their environments are read after it). */
  onListening?: (app: AppAddresses) => Promise<void>;
  /** Runs while the services stop. */
  onStop?: () => Promise<void>;
}
