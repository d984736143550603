/** What one ingestion run did. */
export interface IngestSummary {
  /** Documents found under the paths given. */
  files: number;
  /** Files whose chunks were all already stored: nothing sent for them. */
  unchanged: number;
  /** Files with no chunks stored before. */
  added: number;
  /** Files whose chunks changed (new ones upserted, stale ones deleted), emptied files included. */
  updated: number;
  /** Files skipped with an error (not UTF-8, binary, unsupported type, not found, unreadable). */
  skipped: number;
  /** Chunks of every file read. */
  chunks: number;
  /** Chunks embedded (new or changed). */
  embedded: number;
  /** Vectors upserted, and in how many requests. */
  upserted: number;
  upsertRequests: number;
  /** Stale vectors deleted: replaced chunks, and chunks of pruned files. */
  deleted: number;
  /** Sources whose every chunk was removed by prune. */
  pruned: number;
  errors: { source: string; code: string; message: string }[];
  tookMs: number;
}

/** One line for the end of a run. */
export function formatIngestSummary(summary: IngestSummary): string {
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  return (
    `${plural(summary.files, 'file')} (${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
    `${summary.skipped} skipped): ${plural(summary.chunks, 'chunk')}, ${summary.embedded} embedded, ` +
    `${plural(summary.upserted, 'vector')} upserted in ${plural(summary.upsertRequests, 'request')}, ${summary.deleted} deleted, ` +
    `${plural(summary.pruned, 'source')} pruned in ${(summary.tookMs / 1000).toFixed(1)} s`
  );
}
