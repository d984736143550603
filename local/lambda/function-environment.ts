import { environmentSourcesOf, FUNCTIONS, SETTINGS, secretSettingsOf, type EnvironmentSource, type FunctionName, type SecretSettingName, type SettingName, type StreamName, type TableName } from '../../contract';
import type { CredentialVariables } from '../services/inherited-credentials';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../services/local-credentials';

export interface LocalResources {
  tableNames: Record<TableName, string>;
  streamNames: Record<StreamName, string>;
  managementApiUrl: string;
  settings: Record<SettingName, string>;
  dynamoDbEndpoint: string;
  kinesisEndpoint: string;
  /**
   * This process's AWS credentials (resolved by `inheritedCredentialVariables`) and region, for real Bedrock, rather
   * than dummy local ones. @default - the dummy local credentials and region
   */
  inheritedCredentials?: CredentialVariables;
  /**
   * Values of secrets, by the variable a secret setting declares for its value (`secret.valueEnvVar`): given in this
   * process's environment, or provided by the runtime itself (the local index's API key).
   */
  secretValues: Record<string, string>;
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
 * The whole environment of one function, as Lambda would set it: its own configuration from the topology (nothing
 * another function gets), the runtime's variables, and the standard AWS_ENDPOINT_URL_* variables that point the real
 * SDK clients at the local services.
 */
export function functionEnvironment(name: FunctionName, resources: LocalResources): Record<string, string> {
  const spec = FUNCTIONS[name];
  const own = Object.fromEntries(
    environmentSourcesOf(spec).map(([key, source]) => [key, resolve(source, resources)]),
  );
  const credentials: Record<string, string> = resources.inheritedCredentials
    ? {
        ...Object.fromEntries(INHERITED_AWS_VARIABLES.flatMap((key) => (process.env[key] ? [[key, process.env[key] as string]] : []))),
        ...resources.inheritedCredentials,
      }
    : {
        AWS_REGION: LOCAL_REGION,
        AWS_DEFAULT_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      };
  return {
    ...own,
    ...secretValues(secretSettingsOf(spec), resources.secretValues),
    ...credentials,
    POWERTOOLS_SERVICE_NAME: `chat-${name}`,
    AWS_LAMBDA_FUNCTION_NAME: `chat-${name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_ENDPOINT_URL_DYNAMODB: resources.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_KINESIS: resources.kinesisEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TZ: 'UTC',
  };
}

/**
 * There is no Secrets Manager locally: a secret setting such as LLAMA_API_KEY_SECRET can instead be given its value
 * in the variable it declares (LLAMA_API_KEY), and only the functions that read that secret receive it.
 */
function secretValues(secrets: readonly SecretSettingName[], values: Record<string, string>): Record<string, string> {
  const entries = secrets.flatMap((setting) => {
    const variable = SETTINGS[setting].secret.valueEnvVar;
    return values[variable] ? [[variable, values[variable]]] : [];
  });
  return Object.fromEntries(entries);
}

function resolve(source: EnvironmentSource, resources: LocalResources): string {
  switch (source.kind) {
    case 'table':
      return resources.tableNames[source.table];
    case 'stream':
      return resources.streamNames[source.stream];
    case 'managementApi':
      return resources.managementApiUrl;
    case 'setting':
      return resources.settings[source.setting];
  }
}
