import { badRequest } from '../errors';
import { PINECONE_LIMITS } from '../../../lambdas/shared/retrieval/pinecone-limits';
import { USAGE, type Action } from './action-context';

/**
 * GET /vectors/list?prefix=&limit=&paginationToken=&namespace=: ids in byte order, a page at a time; `pagination.next`
 * is present while more remain. The token is opaque (base64 JSON of the last id returned and the prefix).
 */
export const list: Action = (context, input) => {
  const namespace = input.query.get('namespace') ?? '';
  const prefix = input.query.get('prefix') ?? '';
  const limitText = input.query.get('limit');
  const limit = limitText === null ? PINECONE_LIMITS.defaultListLimit : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > PINECONE_LIMITS.maxListLimit) {
    throw badRequest(`limit must be an integer between 1 and ${PINECONE_LIMITS.maxListLimit}, got ${limitText ?? ''}`);
  }
  const token = input.query.get('paginationToken');
  const skipPast = token ? readToken(token, prefix) : undefined;
  const matching = context.index.ids(namespace).filter((id) => id.startsWith(prefix) && (skipPast === undefined || id > skipPast));
  const page = matching.slice(0, limit);
  const last = page[page.length - 1];
  return {
    vectors: page.map((id) => ({ id })),
    ...(matching.length > limit && last !== undefined ? { pagination: { next: writeToken(last, prefix) } } : {}),
    namespace,
    usage: USAGE,
  };
};

function writeToken(skipPast: string, prefix: string): string {
  return Buffer.from(JSON.stringify({ skip_past: skipPast, prefix })).toString('base64');
}

function readToken(token: string, prefix: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { skip_past?: unknown; prefix?: unknown };
    if (typeof parsed.skip_past === 'string' && parsed.prefix === prefix) return parsed.skip_past;
  } catch {
    // Not base64 JSON: answered below like any other foreign token.
  }
  throw badRequest('Invalid pagination token');
}
