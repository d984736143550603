import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The Tailscale auth key stored as the plain-text value of a Secrets Manager secret. Fails naming the secret when it
 * holds anything else (a key/value JSON secret, a binary one), so a mistake shows in the log as such.
 */
export async function readAuthKey(client: SecretsManagerClient, secretId: string): Promise<string> {
  const { SecretString: value } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const key = value?.trim() ?? '';
  if (!key.startsWith('tskey-')) {
    throw new Error(
      `Secret ${secretId} does not hold a Tailscale auth key: expected its plain-text value to start with tskey-`,
    );
  }
  return key;
}
