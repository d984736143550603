import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { OfflineEmbedder } from '../../lambdas/shared/embeddings/offline-embedder';
import { ingestPaths } from '../../ingest/ingest';
import type { IngestSummary } from '../../ingest/ingest-summary';
import { openPineconeIndex } from '../../lambdas/shared/retrieval/open-pinecone-index';
import { PineconeVectorStore } from '../../lambdas/shared/retrieval/pinecone-vector-store';
import { createLocalPineconeHandler } from '../pinecone';

const BASE_PATH = '/pinecone';
const LOCAL_API_KEY = 'local';

export interface LocalKnowledgeBase {
  matches(url: string): boolean;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /**
   * Serves the index at `http://127.0.0.1:{port}/pinecone` and ingests `paths` into it (unchanged files cost nothing);
   * files it had to skip are logged.
   */
  open(
    port: number,
    paths: readonly string[],
    baseDir: string,
    log: (line: string) => void,
  ): Promise<{ indexHost: string; apiKey: string; summary: IngestSummary }>;
  stop(): Promise<void>;
}

/**
 * The local stand-in for the Pinecone index: a Pinecone-compatible data plane on the runtime's own port (the real
 * Pinecone client talks to it, in the bot and in `npm run ingest`), persisted in the data folder, loaded at start with
 * the sample knowledge base.
 */
export function localKnowledgeBase(dataDir: string): LocalKnowledgeBase {
  const pinecone = createLocalPineconeHandler({ path: join(dataDir, 'pinecone'), basePath: BASE_PATH });
  return {
    matches: (url) => pinecone.matches(url),
    handle: (request, response) => pinecone.handle(request, response),
    open: async (port, paths, baseDir, log) => {
      const indexHost = `http://127.0.0.1:${port}${BASE_PATH}`;
      const store = new PineconeVectorStore({ index: openPineconeIndex({ apiKey: LOCAL_API_KEY, host: indexHost }) });
      const summary = await ingestPaths(paths, { store, embedder: new OfflineEmbedder(), baseDir, prune: true, log: () => undefined });
      for (const error of summary.errors) log(`[knowledge] skipped ${error.source} (${error.code}): ${error.message}`);
      return { indexHost, apiKey: LOCAL_API_KEY, summary };
    },
    stop: async () => pinecone.flush(),
  };
}
