import { RETRIEVAL_DEFAULTS } from './constants';

/** Where retrieval reads from and how picky it is; from the environment in Lambda, the ingest command and locally. */
export interface RetrievalSettings {
  /** `PINECONE_INDEX_HOST`: the index host (https assumed) or a full URL (`http://127.0.0.1:8080/pinecone` locally). */
  indexHost: string;
  /** `PINECONE_NAMESPACE`. @default 'default' */
  namespace: string;
  /** `PINECONE_API_KEY`: the key itself (local use, CI). Takes precedence over the secret. */
  apiKey?: string;
  /** `PINECONE_API_KEY_SECRET`: name or ARN of the Secrets Manager secret holding the key (in AWS). */
  apiKeySecret?: string;
  /** `RETRIEVAL_TOP_K`. @default 5 */
  topK: number;
  /** `RETRIEVAL_MIN_SCORE`: matches scoring below it are dropped. @default 0.15 */
  minScore: number;
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads the retrieval settings (argument > environment variable > default). Retrieval is off, and this returns
 * undefined, when `PINECONE_INDEX_HOST` is unset or empty. Invalid numbers fail loudly, naming the variable.
 */
export function retrievalSettingsFromEnv(env: Environment = process.env): RetrievalSettings | undefined {
  const indexHost = nonEmpty(env.PINECONE_INDEX_HOST);
  if (indexHost === undefined) return undefined;
  const apiKey = nonEmpty(env.PINECONE_API_KEY);
  const apiKeySecret = nonEmpty(env.PINECONE_API_KEY_SECRET);
  return {
    indexHost,
    namespace: nonEmpty(env.PINECONE_NAMESPACE) ?? 'default',
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(apiKeySecret !== undefined ? { apiKeySecret } : {}),
    topK: numberFrom(env, 'RETRIEVAL_TOP_K', RETRIEVAL_DEFAULTS.topK, (value) => Number.isInteger(value) && value >= 1 && value <= 100, 'a whole number from 1 to 100'),
    minScore: numberFrom(env, 'RETRIEVAL_MIN_SCORE', RETRIEVAL_DEFAULTS.minScore, (value) => value >= -1 && value <= 1, 'a number from -1 to 1'),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function numberFrom(env: Environment, name: string, defaultValue: number, valid: (value: number) => boolean, expected: string): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return defaultValue;
  const value = Number(raw);
  if (!Number.isFinite(value) || !valid(value)) throw new Error(`Environment variable ${name} must be ${expected}, got "${raw}"`);
  return value;
}
