import { createEmbedder } from './create-embedder';
import { openPineconeIndex } from './open-pinecone-index';
import { pineconeApiKey, type SecretReader } from './pinecone-api-key';
import { PineconeVectorStore } from './pinecone-vector-store';
import { retrievalSettingsFromEnv } from './retrieval-settings';
import { Retriever } from './retriever';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The retriever the environment describes, or undefined when retrieval is off (no `PINECONE_INDEX_HOST`): Pinecone
 * at `PINECONE_INDEX_HOST` / `PINECONE_NAMESPACE`, the key from `PINECONE_API_KEY` or the Secrets Manager secret
 * `PINECONE_API_KEY_SECRET`, the embedder `EMBEDDER` (Titan's model `EMBEDDING_MODEL_ID`), `RETRIEVAL_TOP_K` and
 * `RETRIEVAL_MIN_SCORE`. The Pinecone client is created once per host and key; the secret is cached for five minutes.
 */
export async function retrieverFromEnv(env: Environment = process.env, readSecret?: SecretReader): Promise<Retriever | undefined> {
  const settings = retrievalSettingsFromEnv(env);
  if (!settings) return undefined;
  const apiKey = await pineconeApiKey(settings, readSecret);
  const store = new PineconeVectorStore({ index: openPineconeIndex({ apiKey, host: settings.indexHost }), namespace: settings.namespace });
  const embedder = createEmbedder(env.EMBEDDER, env.EMBEDDING_MODEL_ID ? { titanModelId: env.EMBEDDING_MODEL_ID } : {});
  return new Retriever({ embedder, store, topK: settings.topK, minScore: settings.minScore });
}
