import { badRequest } from '../errors';
import { PINECONE_LIMITS } from '../../../lambdas/shared/retrieval/pinecone-limits';
import { USAGE, type Action } from './action-context';

/** GET /vectors/fetch?ids=a&ids=b&namespace=ns: records by id; unknown ids are left out. */
export const fetch: Action = (context, input) => {
  const ids = input.query.getAll('ids');
  if (ids.length === 0) throw badRequest('ids: at least one id is required');
  if (ids.length > PINECONE_LIMITS.maxIdsPerRequest) throw badRequest(`ids: at most ${PINECONE_LIMITS.maxIdsPerRequest} ids per request, got ${ids.length}`);
  const namespace = input.query.get('namespace') ?? '';
  const vectors: Record<string, { id: string; values: number[]; metadata?: Record<string, unknown> }> = {};
  for (const id of ids) {
    const record = context.index.get(namespace, id);
    if (record) vectors[id] = { id, values: record.values, ...(record.metadata ? { metadata: record.metadata } : {}) };
  }
  return { vectors, namespace, usage: USAGE };
};
