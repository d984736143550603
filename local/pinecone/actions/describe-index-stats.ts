import { compileFilter } from '../filter';
import { describeIndexStatsRequest } from '../validations/describe-index-stats';
import { parseBody } from '../validations/parse-body';
import type { Action } from './action-context';

/** POST (or GET) /describe_index_stats: records per namespace, dimension, metric. */
export const describeIndexStats: Action = (context, input) => {
  const request = parseBody(describeIndexStatsRequest, input.body);
  const counts = context.index.counts(compileFilter(request.filter));
  return {
    namespaces: Object.fromEntries(Object.entries(counts).map(([namespace, vectorCount]) => [namespace, { vectorCount }])),
    dimension: context.index.dimension,
    indexFullness: 0,
    totalVectorCount: Object.values(counts).reduce((sum, count) => sum + count, 0),
    metric: context.index.metric,
    vectorType: 'dense',
  };
};
