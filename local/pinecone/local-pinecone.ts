import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ActionContext } from './actions/action-context';
import { PineconeApiError } from './errors';
import { readJsonBody, sendJson } from './http';
import { GRPC_CODES } from './grpc-codes';
import { PINECONE_LIMITS } from '../../lambdas/shared/retrieval/pinecone-limits';
import { ROUTES } from './routes';
import { isLoopbackAddress, isLoopbackHost } from '../services/loopback';
import { JsonFile } from './storage/json-file';
import type { IndexFile, Metric } from './storage/types';
import { VectorIndex } from './storage/vector-index';
import { closeServer, listen } from '../listen';

export interface LocalPineconeOptions {
  /** Folder the index persists in, as `<indexName>.json` (the runtime uses `<dataDir>/pinecone`). @default memory only */
  path?: string;
  /** @default 'knowledge' */
  indexName?: string;
  /** Vector length the index accepts. @default 1024 (Titan Text Embeddings V2 and the offline embedder) */
  dimension?: number;
  /** @default 'cosine' */
  metric?: Metric;
  /** URL path the endpoint is mounted at, e.g. `/pinecone`; the client's host is then `http://127.0.0.1:PORT/pinecone`. @default '' */
  basePath?: string;
  /** Milliseconds changes wait before being written to disk (many writes become one). @default 200 */
  persistDelayMs?: number;
  /**
   * Answer callers from other machines, and requests naming any `Host`, too; any Api-Key is accepted, so only loopback
   * callers naming this machine by default (no DNS rebinding). @default false
   */
  allowRemote?: boolean;
}

export interface LocalPineconeHandler {
  /** Serves one request under `basePath`. Protocol errors are answered like Pinecone; other errors are thrown. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Whether a request URL is for this endpoint. */
  matches(url: string): boolean;
  /** Writes pending changes to disk now. */
  flush(): void;
  readonly indexName: string;
  readonly dimension: number;
}

/**
 * A Pinecone-compatible data plane for one dense index, served by any Node HTTP server: upsert, query, fetch, delete,
 * list and describe_index_stats, with Pinecone's JSON shapes, limits and error bodies, so the official client
 * (`new Pinecone({ apiKey }).index({ host })`) works against it unchanged. Any `Api-Key` is accepted.
 */
export function createLocalPineconeHandler(options: LocalPineconeOptions = {}): LocalPineconeHandler {
  const indexName = options.indexName ?? 'knowledge';
  const dimension = options.dimension ?? 1024;
  const metric = options.metric ?? 'cosine';
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > PINECONE_LIMITS.maxDimension) {
    throw new TypeError(`dimension must be an integer from 1 to ${PINECONE_LIMITS.maxDimension}, got ${String(options.dimension)}`);
  }
  if (basePath !== '' && !basePath.startsWith('/')) throw new TypeError(`basePath must start with "/", got "${basePath}"`);

  const file = options.path ? new JsonFile<IndexFile>(join(options.path, `${indexName}.json`), options.persistDelayMs ?? 200) : undefined;
  const saved = file?.read();
  if (saved && (saved.dimension !== dimension || saved.metric !== metric)) {
    throw new Error(
      `The local Pinecone index ${indexName} in ${options.path} has dimension ${saved.dimension} and metric ${saved.metric}, ` +
        `not ${dimension} and ${metric}: delete ${indexName}.json there to start again`,
    );
  }
  const index = saved ? VectorIndex.fromFile(saved) : new VectorIndex(dimension, metric);
  const context: ActionContext = { index, changed: () => file?.schedule(() => index.toFile()) };

  const relativePath = (url: string): string | undefined => {
    const path = url.split('?')[0] ?? '';
    if (basePath === '') return path;
    return path === basePath || path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : undefined;
  };

  return {
    indexName,
    dimension,
    matches: (url) => relativePath(url) !== undefined,
    flush: () => file?.flush(),
    handle: async (request, response) => {
      const path = relativePath(request.url ?? '/');
      const route = path === undefined ? undefined : ROUTES[path.replace(/\/+$/, '') || '/'];
      try {
        if (!options.allowRemote && !isLoopbackAddress(request.socket.remoteAddress)) {
          throw new PineconeApiError(403, GRPC_CODES.permissionDenied, 'Forbidden: the local Pinecone endpoint only answers loopback callers');
        }
        if (!options.allowRemote && !isLoopbackHost(request.headers.host)) {
          throw new PineconeApiError(403, GRPC_CODES.permissionDenied, 'Forbidden: the local Pinecone endpoint only answers requests to localhost or 127.0.0.1');
        }
        if (!request.headers['api-key']) throw new PineconeApiError(401, GRPC_CODES.unauthenticated, 'Unauthorized: the Api-Key header is missing');
        if (!route) throw new PineconeApiError(404, GRPC_CODES.notFound, `Not Found: ${request.method} ${request.url}`);
        const action = route[request.method as 'GET' | 'POST'];
        if (!action) throw new PineconeApiError(405, GRPC_CODES.unimplemented, `Method Not Allowed: ${request.method} ${path}`);
        const body = request.method === 'POST' ? await readJsonBody(request) : {};
        const query = new URL(request.url ?? '/', 'http://local').searchParams;
        sendJson(response, 200, action(context, { body, query }));
      } catch (error) {
        if (!(error instanceof PineconeApiError)) throw error;
        request.resume();
        sendJson(response, error.status, error.body());
      }
    },
  };
}

export interface LocalPineconeServer {
  /** What to give the client as the index host (scheme included): `http://127.0.0.1:PORT` plus the base path. */
  host: string;
  port: number;
  handler: LocalPineconeHandler;
  /** Writes pending changes and closes the server. */
  stop(): Promise<void>;
}

/** The endpoint on its own loopback port (for tests, the benchmark and tools). Port 0 (the default) picks a free one. */
export async function startLocalPinecone(options: LocalPineconeOptions & { port?: number } = {}): Promise<LocalPineconeServer> {
  const handler = createLocalPineconeHandler(options);
  const server = createServer((request, response) => {
    handler.handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { code: GRPC_CODES.internal, message: (error as Error).message, details: [] });
    });
  });
  const port = await listen(server, options.port);
  return {
    host: `http://127.0.0.1:${port}${(options.basePath ?? '').replace(/\/+$/, '')}`,
    port,
    handler,
    stop: async () => {
      handler.flush();
      await closeServer(server);
    },
  };
}
