import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from './errors';
import { PINECONE_LIMITS } from '../../lambdas/shared/retrieval/pinecone-limits';

/** Reads and parses a JSON body; an empty body is `{}`. Too large or not JSON: a 400 like Pinecone's. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= PINECONE_LIMITS.maxRequestBytes) chunks.push(chunk);
  }
  if (size > PINECONE_LIMITS.maxRequestBytes) {
    throw badRequest(`Request size ${(size / 1024 / 1024).toFixed(1)}MB exceeds the maximum supported size of 2MB`);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`Failed to parse the request body as JSON: ${(error as Error).message}`);
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }).end(payload);
}
