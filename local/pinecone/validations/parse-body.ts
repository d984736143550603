import type { z } from 'zod';
import { badRequest } from '../errors';

/**
 * Parses a request body with its schema. A body of the wrong shape is a 400 worded as Pinecone's data plane words it
 * ("Failed to deserialize the JSON body into the target type: missing field `vectors`").
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const detail = issue?.message.endsWith('received undefined') ? `missing field \`${path}\`` : `${path || 'body'}: ${issue?.message ?? 'invalid'}`;
  throw badRequest(`Failed to deserialize the JSON body into the target type: ${detail}`);
}
