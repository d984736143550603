import type { Embedder } from '../embeddings/embedder';
import { OfflineEmbedder } from '../embeddings/offline-embedder';
import { TitanEmbedder } from '../embeddings/titan-embedder';

export const EMBEDDER_KINDS = ['offline', 'titan'] as const;
export type EmbedderKind = (typeof EMBEDDER_KINDS)[number];

/**
 * The embedder named by `EMBEDDER`: `titan` (Bedrock Titan Text Embeddings V2, 1024 dimensions; in AWS) or `offline`
 * (no model, no network; locally). Ingestion and the bot must use the same one: vectors of different embedders are
 * not comparable (retrieval only considers its own). `titanModelId` overrides Titan's model id
 * (`EMBEDDING_MODEL_ID`; default `amazon.titan-embed-text-v2:0`).
 */
export function createEmbedder(kind: string | undefined = 'offline', options: { titanModelId?: string } = {}): Embedder {
  const name = kind.trim() === '' ? 'offline' : kind.trim();
  if (name === 'offline') return new OfflineEmbedder();
  if (name === 'titan') return new TitanEmbedder(options.titanModelId ? { modelId: options.titanModelId } : {});
  throw new Error(`Environment variable EMBEDDER must be ${EMBEDDER_KINDS.join(' or ')}, got "${kind}"`);
}
