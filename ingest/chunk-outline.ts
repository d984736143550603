import { chunkId } from './chunk-id';
import { resolveChunkingOptions, type ChunkingOptions } from './chunking-options';
import type { DocumentOutline } from './document-outline';
import { packSections } from './pack-sections';
import type { Chunk } from './types';

/** Packs a parsed document into chunks with their source, title, heading path, position and stable id. */
export function chunkOutline(outline: DocumentOutline, source: string, options: ChunkingOptions = {}): Chunk[] {
  const resolved = resolveChunkingOptions(options);
  const title = outline.title ?? titleFromSource(source);
  return packSections(outline.sections, resolved).map((passage, position) => ({
    id: chunkId(source, resolved.idSalt, position, passage.headingPath, passage.text),
    source,
    title,
    headingPath: passage.headingPath,
    position,
    text: passage.text,
  }));
}

/** `knowledge/run-locally.md` -> `run-locally`; `https://example.com/docs/deploy.html?x=1` -> `deploy`. */
export function titleFromSource(source: string): string {
  const path = source.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1) || path;
  return name.replace(/\.[^.]+$/, '') || source;
}
