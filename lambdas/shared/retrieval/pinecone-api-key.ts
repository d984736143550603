import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

export interface PineconeApiKeySource {
  /** The key itself; wins over the secret. */
  apiKey?: string;
  /** Secrets Manager secret (name or ARN) whose value is the key, or JSON with an `apiKey` field. */
  apiKeySecret?: string;
}

/** Reads a secret's string value; Powertools' getSecret by default (cached in the execution environment). */
export type SecretReader = (name: string) => Promise<string | undefined>;

/** Seconds a secret value is reused before Secrets Manager is asked again. */
const SECRET_MAX_AGE_SECONDS = 300;

const readSecret: SecretReader = async (name) => {
  const value = await getSecret(name, { maxAge: SECRET_MAX_AGE_SECONDS });
  if (value === undefined || typeof value === 'string') return value;
  return new TextDecoder().decode(value);
};

/** The Pinecone API key: `apiKey` if given, else the secret's value. Fails naming both settings when neither is set. */
export async function pineconeApiKey(source: PineconeApiKeySource, reader: SecretReader = readSecret): Promise<string> {
  if (source.apiKey) return source.apiKey;
  if (!source.apiKeySecret) {
    throw new Error('Environment variable PINECONE_API_KEY or PINECONE_API_KEY_SECRET is required');
  }
  const value = (await reader(source.apiKeySecret))?.trim();
  if (!value) throw new Error(`Secret ${source.apiKeySecret} has no string value (expected the Pinecone API key)`);
  if (value.startsWith('{')) {
    const parsed: unknown = JSON.parse(value);
    const key = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).apiKey : undefined;
    if (typeof key !== 'string' || key === '') throw new Error(`Secret ${source.apiKeySecret} is JSON without a string "apiKey" field`);
    return key;
  }
  return value;
}
