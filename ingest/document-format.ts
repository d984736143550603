import type { DocumentFormat } from './types';

const FORMATS: Readonly<Record<string, DocumentFormat>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
};

/** The format of a file or URL by its extension; undefined for anything not ingested. */
export function documentFormat(source: string): DocumentFormat | undefined {
  const path = source.replace(/[?#].*$/, '').toLowerCase();
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? FORMATS[path.slice(dot)] : undefined;
}
