import type { Passage } from '../shared/retrieval/types';

/** The seam where retrieval (RAG) plugs into the bot: passages numbered as the answer cites them ([1], [2], ...). */
export interface ContextRetriever {
  retrieve(question: string, recentContext: string): Promise<{ passages: Passage[] }>;
}

/** No retrieval configured: the bot answers from the conversation alone. */
export const NO_RETRIEVAL: ContextRetriever = { retrieve: async () => ({ passages: [] }) };
