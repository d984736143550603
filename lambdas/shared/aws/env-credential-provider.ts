import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the function bundles (contract `BUNDLING.alias`): every SDK
 * client's default credentials come from the environment only. Lambda always puts the function role's credentials
 * there (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the local runtime does the same, and the SDK's
 * own chain tries the environment first anyway; the rest of that chain (profiles, SSO, STS, web identity, container
 * and instance metadata) is a third of a small function's bundle that Lambda never reaches.
 */
export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
