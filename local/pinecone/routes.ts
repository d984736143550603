import type { Action } from './actions/action-context';
import { deleteVectors } from './actions/delete';
import { describeIndexStats } from './actions/describe-index-stats';
import { fetch } from './actions/fetch';
import { list } from './actions/list';
import { query } from './actions/query';
import { upsert } from './actions/upsert';

/** The data-plane routes the official client (API version 2026-04) calls, relative to the index host. */
export const ROUTES: Readonly<Record<string, Partial<Record<'GET' | 'POST', Action>>>> = {
  '/vectors/upsert': { POST: upsert },
  '/query': { POST: query },
  '/vectors/fetch': { GET: fetch },
  '/vectors/delete': { POST: deleteVectors },
  '/vectors/list': { GET: list },
  '/describe_index_stats': { POST: describeIndexStats, GET: describeIndexStats },
};
