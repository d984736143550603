import { readSettings } from '../../../contract/read-settings';

/** Defaults of the Titan Text Embeddings V2 embedder. */
export const TITAN_DEFAULTS = {
  /** The `embeddingModelId` setting's default. */
  modelId: readSettings({}, ['embeddingModelId']).embeddingModelId,
  /** Titan V2 offers 256, 512 or 1024; 1024 retrieves best. */
  dimensions: 1024,
  /** InvokeModel calls in flight at once (Titan embeds one text per call). */
  concurrency: 8,
  /** Calls of one text, the first included, by the SDK's standard retry strategy (see bedrockEmbeddingsRuntime). */
  maxAttempts: 5,
  /**
   * Titan V2 takes at most 8,192 tokens and 50,000 characters; longer input is cut to 50,000 characters here. That
   * is within the token limit for ordinary prose (about 4-6 characters per token), not for dense text (CJK, base64),
   * which Bedrock then rejects with a ValidationException: chunk documents well below this anyway (a few thousand
   * characters) for retrieval to be precise.
   */
  maxInputChars: 50_000,
} as const;

/** The dimensions Titan Text Embeddings V2 can return. */
export type TitanDimensions = 256 | 512 | 1024;
