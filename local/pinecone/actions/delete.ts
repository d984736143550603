import { badRequest } from '../errors';
import { compileFilter } from '../filter';
import { PINECONE_LIMITS } from '../../../lambdas/shared/retrieval/pinecone-limits';
import { deleteRequest } from '../validations/delete';
import { parseBody } from '../validations/parse-body';
import type { Action } from './action-context';

/** POST /vectors/delete: by ids, by metadata filter, or everything in the namespace (`deleteAll`). */
export const deleteVectors: Action = (context, input) => {
  const request = parseBody(deleteRequest, input.body);
  const namespace = request.namespace ?? '';
  const given = [request.ids !== undefined, request.deleteAll === true, request.filter !== undefined].filter(Boolean).length;
  if (given !== 1) throw badRequest('Exactly one of `ids`, `deleteAll` or `filter` must be provided');
  if (request.ids) {
    if (request.ids.length > PINECONE_LIMITS.maxIdsPerRequest) {
      throw badRequest(`ids: at most ${PINECONE_LIMITS.maxIdsPerRequest} ids per request, got ${request.ids.length}`);
    }
    context.index.delete(namespace, { ids: request.ids });
  } else if (request.deleteAll) {
    context.index.delete(namespace, 'all');
  } else {
    context.index.delete(namespace, { where: compileFilter(request.filter) });
  }
  context.changed();
  return {};
};
