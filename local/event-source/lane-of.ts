import { fnv1a32 } from '../../lambdas/shared/fnv1a';

/**
 * A stable lane for each partition key, so one key's records are always processed in order by one lane while other
 * keys' lanes run beside it (Lambda's ParallelizationFactor hashes the partition key the same way in spirit; its hash
 * function is not documented, so two rooms may share a lane there too).
 */
export function laneOf(partitionKey: string, lanes: number): number {
  return fnv1a32(partitionKey) % lanes;
}
