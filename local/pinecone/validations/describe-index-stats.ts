import { z } from 'zod';

/** POST /describe_index_stats */
export const describeIndexStatsRequest = z.object({
  filter: z.record(z.string(), z.unknown()).optional(),
});
