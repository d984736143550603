import { badRequest } from '../errors';
import { compileFilter } from '../filter';
import { PINECONE_LIMITS } from '../../../lambdas/shared/retrieval/pinecone-limits';
import { parseBody } from '../validations/parse-body';
import { queryRequest } from '../validations/query';
import { checkValues } from '../validations/record-rules';
import { USAGE, type Action } from './action-context';

/** POST /query: the `topK` nearest records to a vector (or to a stored record's vector), optionally filtered. */
export const query: Action = (context, input) => {
  const request = parseBody(queryRequest, input.body);
  const { index } = context;
  if (request.topK < 1 || request.topK > PINECONE_LIMITS.maxTopK) {
    throw badRequest(`topK must be between 1 and ${PINECONE_LIMITS.maxTopK}, got ${request.topK}`);
  }
  if (request.queries) throw badRequest('The `queries` field is no longer supported; send one query per request with `vector`');
  if (request.sparseVector) throw badRequest('Sparse queries are not supported by the local Pinecone endpoint (a dense index)');
  if ((request.vector === undefined) === (request.id === undefined)) throw badRequest('Exactly one of `vector` or `id` must be provided');
  const namespace = request.namespace ?? '';
  const where = compileFilter(request.filter);
  let vector = request.vector;
  if (vector) checkValues(vector, index.dimension, 'Query vector');
  else vector = index.get(namespace, request.id as string)?.values;
  const matches = vector
    ? index.nearest(namespace, vector, request.topK, where).map(({ id, score, record }) => ({
        id,
        score,
        values: request.includeValues ? record.values : [],
        ...(request.includeMetadata && record.metadata ? { metadata: record.metadata } : {}),
      }))
    : [];
  return { matches, namespace, usage: USAGE };
};
