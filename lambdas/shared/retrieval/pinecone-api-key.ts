import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretReference } from '../../../contract/settings';

/** Reads a secret's string value; Powertools' getSecret by default (cached in the execution environment). */
export type SecretReader = (name: string) => Promise<string | undefined>;

/** Seconds a secret value is reused before Secrets Manager is asked again. */
const SECRET_MAX_AGE_SECONDS = 300;

const readSecret: SecretReader = async (name) => {
  const value = await getSecret(name, { maxAge: SECRET_MAX_AGE_SECONDS });
  if (value === undefined || typeof value === 'string') return value;
  return new TextDecoder().decode(value);
};

/**
 * The Pinecone API key: the key itself when given (`PINECONE_API_KEY`, where there is no Secrets Manager), else the
 * value of the secret `pineconeApiKeySecret` names (plain, or JSON with an `apiKey` field). Fails naming both
 * variables when neither is set.
 */
export async function pineconeApiKey(secret: SecretReference, reader: SecretReader = readSecret): Promise<string> {
  if (secret.value) return secret.value;
  if (!secret.name) {
    throw new Error('Environment variable PINECONE_API_KEY or PINECONE_API_KEY_SECRET is required');
  }
  const value = (await reader(secret.name))?.trim();
  if (!value) throw new Error(`Secret ${secret.name} has no string value (expected the Pinecone API key)`);
  if (value.startsWith('{')) {
    const parsed: unknown = JSON.parse(value);
    const key = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).apiKey : undefined;
    if (typeof key !== 'string' || key === '') throw new Error(`Secret ${secret.name} is JSON without a string "apiKey" field`);
    return key;
  }
  return value;
}
