import { badRequest } from '../errors';
import { PINECONE_LIMITS } from '../../../lambdas/shared/retrieval/pinecone-limits';
import { parseBody } from '../validations/parse-body';
import { checkId, checkMetadata, checkValues } from '../validations/record-rules';
import { upsertRequest } from '../validations/upsert';
import type { Action } from './action-context';

/** POST /vectors/upsert: writes records (all or none), replacing any with the same id. */
export const upsert: Action = (context, input) => {
  const request = parseBody(upsertRequest, input.body);
  const { index } = context;
  if (request.vectors.length === 0) throw badRequest('Must upsert at least one vector');
  if (request.vectors.length > PINECONE_LIMITS.maxUpsertRecords) {
    throw badRequest(`Batch size ${request.vectors.length} exceeds the maximum of ${PINECONE_LIMITS.maxUpsertRecords} vectors per upsert request`);
  }
  const records = request.vectors.map((vector) => {
    checkId(vector.id);
    if (vector.sparseValues) throw badRequest('Sparse values are not supported by the local Pinecone endpoint (a dense index)');
    if (!vector.values) throw badRequest(`Vector ${vector.id} has no values; this index is dense`);
    checkValues(vector.values, index.dimension, 'Vector');
    return { id: vector.id, values: vector.values, metadata: vector.metadata ? checkMetadata(vector.metadata) : undefined };
  });
  const namespace = request.namespace ?? '';
  for (const record of records) index.upsert(namespace, record.id, record.values, record.metadata);
  context.changed();
  return { upsertedCount: records.length };
};
