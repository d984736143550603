import { environmentSourcesOf, FUNCTIONS, SETTINGS, secretSettingsOf, type EnvironmentSource, type FunctionName, type SecretSettingName, type SettingName, type StreamName, type TableName } from '../../contract';

export interface LocalResources {
  tableNames: Record<TableName, string>;
  streamNames: Record<StreamName, string>;
  managementApiUrl: string;
  settings: Record<SettingName, string>;
  /**
   * Values of secrets, by the variable a secret setting declares for its value (`secret.valueEnvVar`): given in this
   * process's environment, or provided by the runtime itself (the local index's API key).
   */
  secretValues: Record<string, string>;
}

/**
 * A chat function's own environment, as the stack sets it: its configuration from the topology (nothing another
 * function gets). The local runtime adds what Lambda and the local services set (lambda-environment.ts).
 */
export function functionEnvironment(name: FunctionName, resources: LocalResources): Record<string, string> {
  const spec = FUNCTIONS[name];
  const own = Object.fromEntries(
    environmentSourcesOf(spec).map(([key, source]) => [key, resolve(source, resources)]),
  );
  return {
    ...own,
    ...secretValues(secretSettingsOf(spec), resources.secretValues),
    POWERTOOLS_SERVICE_NAME: `chat-${name}`,
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
