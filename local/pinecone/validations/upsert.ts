import { z } from 'zod';

/** POST /vectors/upsert */
export const upsertRequest = z.object({
  vectors: z.array(
    z.object({
      id: z.string(),
      values: z.array(z.number()).optional(),
      sparseValues: z.object({ indices: z.array(z.number()), values: z.array(z.number()) }).optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  namespace: z.string().optional(),
});
