import type { CredentialVariables } from '../services/inherited-credentials';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../services/local-credentials';

/** The local services, by the standard variables that point the AWS SDKs (v3, and the other languages') at them. */
export interface LocalEndpoints {
  dynamoDb: string;
  kinesis: string;
  /** The @connections API, with its stage (`http://127.0.0.1:{port}/{stage}`). */
  managementApi: string;
}

export interface LambdaEnvironmentInput {
  functionName: string;
  memoryMb: number;
  endpoints: LocalEndpoints;
  /**
   * This process's AWS credentials (resolved by `inheritedCredentialVariables`) and region, e.g. for real Bedrock,
   * rather than the dummy ones the local services accept. @default - the dummy local credentials and region
   */
  inheritedCredentials?: CredentialVariables;
}

// Where the SDK finds the region (the credentials are handed over resolved, as Lambda does).
const INHERITED_AWS_VARIABLES = [
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'HOME',
];

/**
 * What the runtime sets in every function's environment besides the function's own variables: the service-specific
 * endpoint variables (`AWS_ENDPOINT_URL_<SERVICE>`, see the AWS SDKs and Tools reference, "Identifiers for
 * service-specific endpoints") so SDK clients built without an `endpoint` reach the local services, the variables
 * Lambda reserves, and credentials and a region the local services accept.
 */
export function lambdaEnvironment(input: LambdaEnvironmentInput): { endpoints: Record<string, string>; reserved: Record<string, string> } {
  const credentials: Record<string, string> = input.inheritedCredentials
    ? {
        ...Object.fromEntries(INHERITED_AWS_VARIABLES.flatMap((key) => (process.env[key] ? [[key, process.env[key] as string]] : []))),
        ...input.inheritedCredentials,
      }
    : {
        AWS_REGION: LOCAL_REGION,
        AWS_DEFAULT_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      };
  return {
    endpoints: {
      AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamoDb,
      AWS_ENDPOINT_URL_KINESIS: input.endpoints.kinesis,
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: input.endpoints.managementApi,
    },
    reserved: {
      ...credentials,
      AWS_LAMBDA_FUNCTION_NAME: input.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(input.memoryMb),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      TZ: 'UTC',
    },
  };
}
