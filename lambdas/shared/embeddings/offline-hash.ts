import { fnv1a32 } from '../fnv1a';

/** FNV-1a, finished with murmur3's fmix32 so every output bit depends on every input bit. */
export function hashFeature(feature: string): number {
  let hash = fnv1a32(feature);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
