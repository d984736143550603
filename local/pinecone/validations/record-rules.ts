import { badRequest } from '../errors';
import { PINECONE_LIMITS } from '../../../lambdas/shared/retrieval/pinecone-limits';
import type { Metadata } from '../storage/types';

/** The rules a record id must follow (ASCII, 1-512 characters). */
export function checkId(id: string): void {
  if (id.length === 0) throw badRequest('Vector ID must not be empty');
  if (id.length > PINECONE_LIMITS.maxIdLength) throw badRequest(`Vector ID exceeds the maximum length of ${PINECONE_LIMITS.maxIdLength} characters`);
  if (!/^[\x00-\x7f]*$/.test(id)) throw badRequest(`Vector ID must be ASCII, but got '${id}'`);
}

/** Dense values: the index's dimension, not all zero. */
export function checkValues(values: readonly number[], dimension: number, what: 'Vector' | 'Query vector'): void {
  if (values.length !== dimension) {
    throw badRequest(`${what} dimension ${values.length} does not match the dimension of the index ${dimension}`);
  }
  if (what === 'Vector' && values.every((value) => value === 0)) throw badRequest('Dense vectors must contain at least one non-zero value');
}

/** Metadata: flat, values strings, numbers, booleans or lists of strings, at most 40 KB as JSON. */
export function checkMetadata(metadata: Record<string, unknown>): Metadata {
  for (const [key, value] of Object.entries(metadata)) {
    const valid =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (Array.isArray(value) && value.every((item) => typeof item === 'string'));
    if (!valid) {
      throw badRequest(`Metadata value for field '${key}' must be a string, number, boolean or list of strings, got ${JSON.stringify(value)}`);
    }
  }
  const size = Buffer.byteLength(JSON.stringify(metadata));
  if (size > PINECONE_LIMITS.maxMetadataBytes) {
    throw badRequest(`Metadata size is ${size} bytes, which exceeds the limit of ${PINECONE_LIMITS.maxMetadataBytes} bytes per vector`);
  }
  return metadata as Metadata;
}
