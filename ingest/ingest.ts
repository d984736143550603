import { readFile } from 'node:fs/promises';
import type { Embedder } from '../lambdas/shared/embeddings/embedder';
import { chunkDocument } from './chunk-document';
import { escapeSource, idSourcePrefix, sourceIdPrefix } from './chunk-id';
import type { ChunkingOptions } from './chunking-options';
import { INGEST_DEFAULTS } from './constants';
import { decodeDocument } from './decode-document';
import { DimensionMismatchError, DocumentError } from './errors';
import { findDocuments } from './find-documents';
import { headingLabel } from './heading-label';
import type { IngestSummary } from './ingest-summary';
import type { ChunkMetadata } from '../lambdas/shared/retrieval/types';
import type { Chunk } from './types';
import type { VectorRecord, VectorStore } from '../lambdas/shared/retrieval/vector-store';

export interface IngestOptions {
  store: VectorStore;
  embedder: Embedder;
  /** Also delete the chunks of files that are gone from the folders given (and of files given that no longer exist). @default false */
  prune?: boolean;
  /** Progress and summary lines. @default none */
  log?: (line: string) => void;
  /** Sources are named relative to this folder (`knowledge/deploy.md`); keep it the same across runs. @default process.cwd() */
  baseDir?: string;
  /** Passage sizes. @default CHUNKING_DEFAULTS */
  chunking?: Omit<ChunkingOptions, 'idSalt'>;
  /** Texts per embedding call. @default 32 */
  embedBatchSize?: number;
}

/**
 * Loads files and folders into the store, idempotently. Each file's chunk ids (source + content + embedder) are
 * compared with the ids already stored under its source prefix: an unchanged file costs one list request; a changed
 * file gets its new chunks embedded and upserted first, then its stale ones deleted, so it is never without chunks.
 * A file that cannot be read (not UTF-8, binary) is reported and skipped; the run goes on. Store failures abort it.
 */
export async function ingestPaths(paths: readonly string[], options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { store, embedder, log = () => undefined } = options;
  const baseDir = options.baseDir ?? process.cwd();
  const batchSize = options.embedBatchSize ?? INGEST_DEFAULTS.embedBatchSize;
  const summary: IngestSummary = {
    files: 0, unchanged: 0, added: 0, updated: 0, skipped: 0, chunks: 0, embedded: 0,
    upserted: 0, upsertRequests: 0, deleted: 0, pruned: 0, errors: [], tookMs: 0,
  };
  const skip = (source: string, code: string, message: string): void => {
    summary.skipped += 1;
    summary.errors.push({ source, code, message });
    log(`  ! ${message} (skipped)`);
  };

  const stats = await store.describeStats();
  if (stats.dimension !== undefined && stats.dimension !== embedder.dimensions) {
    throw new DimensionMismatchError(
      `The index holds vectors of dimension ${stats.dimension} but the embedder ${embedder.name} makes ${embedder.dimensions}: ` +
        `use an index of dimension ${embedder.dimensions} (metric cosine) or the embedder it was made for`,
    );
  }

  const found = findDocuments(paths, baseDir);
  summary.files = found.files.length;
  log(`Ingesting ${found.files.length} file${found.files.length === 1 ? '' : 's'} into namespace "${store.namespace}" with ${embedder.name}`);
  for (const source of found.unsupported) skip(source, 'unsupported_type', `${source}: not a Markdown, text or HTML file`);
  for (const source of found.missing) {
    if (!options.prune) skip(source, 'not_found', `${source}: no such file or folder`);
  }

  for (const [index, file] of found.files.entries()) {
    const label = `[${index + 1}/${found.files.length}] ${file.source}`;
    let chunks: Chunk[];
    try {
      const text = decodeDocument(await readFile(file.path), file.source);
      chunks = chunkDocument({ source: file.source, text }, { ...options.chunking, idSalt: embedder.name });
    } catch (error) {
      log(label);
      if (error instanceof DocumentError) skip(file.source, error.code, error.message);
      else skip(file.source, 'unreadable', `${file.source}: ${(error as Error).message}`);
      continue;
    }
    summary.chunks += chunks.length;

    const prefix = sourceIdPrefix(file.source);
    const stored = new Set((await store.listIds(prefix)).filter((id) => idSourcePrefix(id) === prefix));
    const wanted = new Set(chunks.map((chunk) => chunk.id));
    const fresh = chunks.filter((chunk) => !stored.has(chunk.id));
    const stale = [...stored].filter((id) => !wanted.has(id));
    if (fresh.length === 0 && stale.length === 0) {
      summary.unchanged += 1;
      log(`${label}: ${chunks.length} chunks, unchanged`);
      continue;
    }
    if (stored.size === 0) summary.added += 1;
    else summary.updated += 1;

    for (let start = 0; start < fresh.length; start += batchSize) {
      const batch = fresh.slice(start, start + batchSize);
      const records = await embedChunks(batch, embedder);
      const { upserted, requests } = await store.upsert(records);
      summary.embedded += batch.length;
      summary.upserted += upserted;
      summary.upsertRequests += requests;
    }
    if (stale.length > 0) await store.delete(stale);
    summary.deleted += stale.length;
    log(`${label}: ${chunks.length} chunks, ${fresh.length} upserted, ${stale.length} deleted`);
  }

  if (options.prune) await prune(found, store, summary, log);
  summary.tookMs = Math.round(performance.now() - started);
  return summary;
}

async function embedChunks(chunks: readonly Chunk[], embedder: Embedder): Promise<VectorRecord[]> {
  const vectors = await embedder.embed(chunks.map((chunk) => `${headingLabel(chunk)}\n\n${chunk.text}`));
  if (vectors.length !== chunks.length) {
    throw new Error(`Embedder ${embedder.name} returned ${vectors.length} vectors for ${chunks.length} texts`);
  }
  return chunks.map((chunk, index) => {
    const values = vectors[index] as number[];
    if (values.length !== embedder.dimensions) {
      throw new DimensionMismatchError(`Embedder ${embedder.name} returned a vector of ${values.length} values, not ${embedder.dimensions}`);
    }
    const metadata: ChunkMetadata = {
      source: chunk.source,
      title: chunk.title,
      heading: headingLabel(chunk),
      position: chunk.position,
      text: chunk.text,
      embedder: embedder.name,
    };
    return { id: chunk.id, values, metadata };
  });
}

/** Deletes the chunks of sources under the given folders (or given by name) that this run did not find. */
async function prune(
  found: ReturnType<typeof findDocuments>,
  store: VectorStore,
  summary: IngestSummary,
  log: (line: string) => void,
): Promise<void> {
  const present = new Set(found.files.map((file) => sourceIdPrefix(file.source)));
  const scopes = [
    ...found.folders.map((folder) => ({ prefix: folder === '' ? '' : escapeSource(`${folder}/`), folder: true })),
    ...found.missing.map((source) => ({ prefix: sourceIdPrefix(source), folder: false })),
  ];
  const gone = new Map<string, Set<string>>();
  for (const scope of scopes) {
    for (const id of await store.listIds(scope.prefix)) {
      const source = idSourcePrefix(id);
      if (source === '' || present.has(source)) continue;
      if (!scope.folder && source !== scope.prefix) continue;
      // The base folder as a root holds only relative paths below it: never URLs or paths outside it.
      if (scope.prefix === '' && (source.startsWith('../') || source.includes('://'))) continue;
      gone.set(source, (gone.get(source) ?? new Set<string>()).add(id));
    }
  }
  for (const [source, ids] of gone) {
    await store.delete([...ids]);
    summary.deleted += ids.size;
    summary.pruned += 1;
    log(`  - ${decodeURIComponent(source.slice(0, -1))}: gone, ${ids.size} chunks deleted`);
  }
}
