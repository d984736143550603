/** Everything an async iterable yields, and what it threw (if it did). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<{ items: T[]; error?: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of iterable) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items };
}

/** The bytes of `text` cut at the given byte offsets. */
export function cutBytes(text: string, ...offsets: number[]): Uint8Array[] {
  const bytes = Buffer.from(text, 'utf8');
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    pieces.push(new Uint8Array(bytes.subarray(start, offset)));
    start = offset;
  }
  return pieces;
}

/** An async iterable over `chunks`, as a response body would deliver them. */
export async function* chunksOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}
