/**
 * FNV-1a: a stable lane for each partition key, so one key's records are always processed in order by one lane while
 * other keys' lanes run beside it (Lambda's ParallelizationFactor hashes the partition key the same way in spirit;
 * its hash function is not documented, so two rooms may share a lane there too).
 */
export function laneOf(partitionKey: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < partitionKey.length; i += 1) {
    hash ^= partitionKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}
