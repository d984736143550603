import { z } from 'zod';

/** POST /vectors/delete */
export const deleteRequest = z.object({
  ids: z.array(z.string()).optional(),
  deleteAll: z.boolean().optional(),
  namespace: z.string().optional(),
  filter: z.record(z.string(), z.unknown()).optional(),
});
