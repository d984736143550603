/**
 * Turns texts into vectors. Implementations: Bedrock Titan Text Embeddings V2 (`titan-embedder.ts`) and an offline one.
 * Vectors from different embedders (or different `dimensions`) are not comparable: store `name` beside an index.
 */
export interface Embedder {
  /** Identifies the model and its settings, e.g. `amazon.titan-embed-text-v2:0/1024`. */
  readonly name: string;
  /** Length of every vector `embed` returns. */
  readonly dimensions: number;
  /** One vector per text, in input order. */
  embed(texts: readonly string[]): Promise<number[][]>;
}
