import { defaultProvider } from '@aws-sdk/credential-provider-node';

/** The variables Lambda sets for a function role's credentials. */
export type CredentialVariables = Record<'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY', string> & { AWS_SESSION_TOKEN?: string };

/**
 * This process's AWS credentials, found by the SDK's whole default chain (environment, profile, SSO, process, ...),
 * as the variables Lambda gives a function. The function bundles read credentials from the environment only
 * (contract `BUNDLING.alias`), so the local runtime hands them over as Lambda does. Resolved once at start: temporary
 * credentials (SSO, assumed roles) that expire need a restart, where Lambda would give a new instance new ones.
 */
export async function inheritedCredentialVariables(
  provide: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> = defaultProvider(),
): Promise<CredentialVariables> {
  const credentials = await provide();
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
}
