import type { Settings } from '../../../contract/settings';
import { createEmbedder } from './create-embedder';
import { openPineconeIndex } from './open-pinecone-index';
import { pineconeApiKey, type SecretReader } from './pinecone-api-key';
import { PineconeVectorStore } from './pinecone-vector-store';
import { Retriever } from './retriever';

/** The settings retrieval reads (contract `SETTINGS`). */
export type RetrievalSettings = Pick<
  Settings,
  'pineconeIndexHost' | 'pineconeNamespace' | 'pineconeApiKeySecret' | 'embedder' | 'embeddingModelId' | 'retrievalTopK' | 'retrievalMinScore'
>;

/**
 * The retriever the settings describe, or undefined when retrieval is off (empty `pineconeIndexHost`): Pinecone at
 * that host and namespace, the key given directly or read from its Secrets Manager secret (cached for five minutes),
 * the configured embedder, `retrievalTopK` and `retrievalMinScore`.
 */
export async function retrieverFromSettings(settings: RetrievalSettings, readSecret?: SecretReader): Promise<Retriever | undefined> {
  if (settings.pineconeIndexHost === '') return undefined;
  const apiKey = await pineconeApiKey(settings.pineconeApiKeySecret, readSecret);
  const store = new PineconeVectorStore({
    index: openPineconeIndex({ apiKey, host: settings.pineconeIndexHost }),
    namespace: settings.pineconeNamespace,
  });
  const embedder = createEmbedder(settings.embedder, settings.embeddingModelId);
  return new Retriever({ embedder, store, topK: settings.retrievalTopK, minScore: settings.retrievalMinScore });
}
