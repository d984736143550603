/** 32-bit FNV-1a over UTF-16 code units: a fast, stable, non-cryptographic hash (lanes, feature buckets, seeds). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
