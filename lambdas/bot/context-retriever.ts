/** A passage retrieved for the question, numbered as the answer cites it ([1], [2], ...). */
export interface RetrievedPassage {
  n: number;
  id: string;
  title: string;
  source: string;
  score: number;
  snippet: string;
  text: string;
}

/** The seam where retrieval (RAG) plugs into the bot. */
export interface ContextRetriever {
  retrieve(question: string, recentContext: string): Promise<{ passages: RetrievedPassage[] }>;
}

/** No retrieval configured: the bot answers from the conversation alone. */
export const NO_RETRIEVAL: ContextRetriever = { retrieve: async () => ({ passages: [] }) };
