import type { Chunk } from './types';

/** `Title > Section > Subsection` for a chunk: its heading path, led by the document title when the path lacks it. */
export function headingLabel(chunk: Pick<Chunk, 'title' | 'headingPath'>): string {
  const path = chunk.headingPath[0] === chunk.title ? chunk.headingPath : [chunk.title, ...chunk.headingPath];
  return path.join(' > ');
}
