import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { INGEST_DEFAULTS } from './constants';

export interface FoundDocuments {
  /** Every ingestible file, absolute path and source name (relative to the base folder, `/`-separated), sorted by source. */
  files: { path: string; source: string }[];
  /** Folders given, as source names ('' for the base folder itself): prune looks for removed files under them. */
  folders: string[];
  /** Files given by name that do not exist (prune removes their chunks). */
  missing: string[];
  /** Files given by name that are not a supported type. */
  unsupported: string[];
}

/**
 * Expands files and folders into the documents to ingest: folders recursively (skipping dot-folders, dot-files and
 * node_modules), keeping .md, .markdown, .txt, .html and .htm files. Symbolic links to files are followed, links to
 * folders are not (no cycles).
 */
export function findDocuments(paths: readonly string[], baseDir: string): FoundDocuments {
  const found: FoundDocuments = { files: [], folders: [], missing: [], unsupported: [] };
  const seen = new Set<string>();
  const addFile = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    found.files.push({ path, source: sourceName(path, baseDir) });
  };
  const walk = (folder: string): void => {
    const entries: Dirent[] = readdirSync(folder, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if ((entry.isFile() || (entry.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile())) && isIngestible(entry.name)) addFile(path);
    }
  };
  for (const given of paths) {
    const path = resolve(given);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) found.missing.push(sourceName(path, baseDir));
    else if (stats.isDirectory()) {
      found.folders.push(sourceName(path, baseDir));
      walk(path);
    } else if (isIngestible(path)) addFile(path);
    else found.unsupported.push(sourceName(path, baseDir));
  }
  found.files.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return found;
}

/** `/repo/knowledge/deploy.md` with base `/repo` -> `knowledge/deploy.md`. */
export function sourceName(path: string, baseDir: string): string {
  return relative(resolve(baseDir), path).split(sep).join('/');
}

function isIngestible(name: string): boolean {
  const lower = name.toLowerCase();
  return INGEST_DEFAULTS.extensions.some((extension) => lower.endsWith(extension));
}
