import { createServer, type Server } from 'node:http';
import { Pinecone, type Index } from '@pinecone-database/pinecone';
import { closeServer, listen } from '../../local/listen';
import { createLocalPineconeHandler, type LocalPineconeHandler, type LocalPineconeOptions } from '../../local/pinecone';

export interface MountedPinecone {
  /** What the client is given: `http://127.0.0.1:PORT/pinecone`. */
  host: string;
  handler: LocalPineconeHandler;
  /** The official client's data-plane object for that host (default namespace ''). */
  index: Index;
  /** Every request served, as `METHOD /path` (without the base path and query). */
  requests: string[];
  /** Body bytes of every upsert request. */
  upsertBytes: number[];
  close(): Promise<void>;
}

/**
 * The local Pinecone endpoint mounted at `/pinecone` on a server that also serves other paths (404 here), as the
 * local runtime mounts it, reached through the real `@pinecone-database/pinecone` client.
 */
export async function mountPinecone(options: LocalPineconeOptions = {}): Promise<MountedPinecone> {
  const handler = createLocalPineconeHandler({ basePath: '/pinecone', ...options });
  const requests: string[] = [];
  const upsertBytes: number[] = [];
  const server: Server = createServer((request, response) => {
    if (!handler.matches(request.url ?? '')) return void response.writeHead(404).end('not pinecone');
    requests.push(`${request.method} ${(request.url ?? '').replace('/pinecone', '').split('?')[0]}`);
    if (request.url?.endsWith('/vectors/upsert')) upsertBytes.push(Number(request.headers['content-length']));
    handler.handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end((error as Error).message);
    });
  });
  const host = `http://127.0.0.1:${await listen(server)}/pinecone`;
  const index = new Pinecone({ apiKey: 'any-key', maxRetries: 0 }).index({ host });
  return {
    host,
    handler,
    index,
    requests,
    upsertBytes,
    close: async () => {
      handler.flush();
      await closeServer(server);
    },
  };
}
