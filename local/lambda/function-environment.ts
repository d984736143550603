import { environmentSourcesOf, FUNCTIONS, type EnvironmentSource, type FunctionName, type SettingName, type StreamName, type TableName } from '../../lib/topology';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../services/local-credentials';

export interface LocalResources {
  tableNames: Record<TableName, string>;
  streamNames: Record<StreamName, string>;
  managementApiUrl: string;
  settings: Record<SettingName, string>;
  dynamoDbEndpoint: string;
  kinesisEndpoint: string;
}

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
  return {
    ...own,
    POWERTOOLS_SERVICE_NAME: `chat-${name}`,
    AWS_LAMBDA_FUNCTION_NAME: `chat-${name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: resources.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_KINESIS: resources.kinesisEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TZ: 'UTC',
  };
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
