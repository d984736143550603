import { z } from 'zod';

/** POST /query */
export const queryRequest = z.object({
  namespace: z.string().optional(),
  topK: z.number().int(),
  filter: z.record(z.string(), z.unknown()).optional(),
  includeValues: z.boolean().optional(),
  includeMetadata: z.boolean().optional(),
  vector: z.array(z.number()).optional(),
  sparseVector: z.object({ indices: z.array(z.number()), values: z.array(z.number()) }).optional(),
  id: z.string().optional(),
  queries: z.array(z.unknown()).optional(),
});
