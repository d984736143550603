import type { VectorIndex } from '../storage/vector-index';

/** What every action gets: the index, and a way to say it changed (so it is persisted). */
export interface ActionContext {
  index: VectorIndex;
  changed(): void;
}

/** The parsed request: JSON body for POST, query string for GET. */
export interface ActionInput {
  body: unknown;
  query: URLSearchParams;
}

export type Action = (context: ActionContext, input: ActionInput) => unknown;

/** Pinecone reports read units on reads; locally every read costs one. */
export const USAGE = { readUnits: 1 } as const;
