/** Why a document could not be read. The ingest reports it for that file and carries on with the others. */
export type DocumentErrorCode = 'not_utf8' | 'binary' | 'unsupported_type' | 'unreadable' | 'source_too_long';

export class DocumentError extends Error {
  public readonly code: DocumentErrorCode;
  public readonly source: string;

  public constructor(code: DocumentErrorCode, source: string, message: string) {
    super(message);
    this.name = 'DocumentError';
    this.code = code;
    this.source = source;
  }
}

/** The embedder and the index disagree on the vector length: nothing can be stored or found. */
export class DimensionMismatchError extends Error {
  public readonly code = 'dimension_mismatch';

  public constructor(message: string) {
    super(message);
    this.name = 'DimensionMismatchError';
  }
}
