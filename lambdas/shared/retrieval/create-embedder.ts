import type { EmbedderName } from '../../../contract/settings';
import type { Embedder } from '../embeddings/embedder';
import { OfflineEmbedder } from '../embeddings/offline-embedder';
import { TitanEmbedder } from '../embeddings/titan-embedder';

/**
 * The embedder the `embedder` setting names: `titan` (Bedrock Titan Text Embeddings V2, 1024 dimensions, model
 * `titanModelId`) or `offline` (no model, no network). Ingestion and the bot must use the same one: vectors of
 * different embedders are not comparable (retrieval only considers its own).
 */
export function createEmbedder(name: EmbedderName, titanModelId: string): Embedder {
  switch (name) {
    case 'offline':
      return new OfflineEmbedder();
    case 'titan':
      return new TitanEmbedder({ modelId: titanModelId });
  }
}
