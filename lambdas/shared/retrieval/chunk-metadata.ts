import * as z from 'zod/mini';
import type { ChunkMetadata } from './types';

/** The metadata ingestion writes; a record without it (written by something else) is ignored at retrieval. */
export const chunkMetadataSchema = z.object({
  source: z.string(),
  title: z.string(),
  heading: z.string(),
  position: z.number(),
  text: z.string(),
  embedder: z.string(),
}) satisfies z.ZodMiniType<ChunkMetadata>;
