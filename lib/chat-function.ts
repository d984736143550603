import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { grantBedrockModel } from './bedrock-model-grant';
import { bundlingAliasArgs } from './bundling-alias';
import { PROJECT_ROOT } from './project-root';
import {
  BUNDLING,
  environmentSourcesOf,
  secretSettingsOf,
  serviceNameOf,
  STREAM_WRITE_ACTIONS,
  TABLES,
  type EnvironmentSource,
  type FunctionSpec,
  type SettingName,
  type StreamName,
  type TableAccess,
  type TableName,
} from '../contract';

/** Environment variables every function gets besides `environmentKeysOf(spec)`. */
export const FIXED_ENVIRONMENT_KEYS = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME'] as const;

/** Props of `ChatFunction`. */
export interface ChatFunctionProps {
  /** The function's key in topology `FUNCTIONS` (e.g. `fanout`); names its logs and its Powertools service. */
  readonly name: string;
  readonly spec: FunctionSpec;
  /** What it does: the Lambda function's description (contract `FUNCTION_DESCRIPTIONS`). */
  readonly description: string;
  /** Every topology table; the function gets a grant and an environment variable for those its spec names. */
  readonly tables: Readonly<Record<TableName, dynamodb.ITable>>;
  /** Every topology stream; the function gets the name of those it reads or writes, and write access to `writesTo`. */
  readonly streams: Readonly<Record<StreamName, kinesis.IStream>>;
  /** Resolved setting values (validated context). */
  readonly settings: Readonly<Record<SettingName, string>>;
  /**
   * The WebSocket stage whose @connections API the function calls.
   * @default - none; required when `spec.manageConnections` is true
   */
  readonly stage?: apigwv2.WebSocketStage;
  /**
   * Retention of the function's log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Folder that `spec.entry` is relative to, holding `package-lock.json`.
   * @default - the repository root (the folder above lib/)
   */
  readonly projectRoot?: string;
  /**
   * A container image to run instead, holding the handler (e.g. `TailscaleFunctionImage`); the environment, role, log
   * group, memory, timeout and grants stay the same.
   * @default - `spec.entry` bundled by esbuild into a zip package on the Node.js 24 runtime
   */
  readonly image?: lambda.DockerImageCode;
}

/**
 * One Lambda function built from a topology `FUNCTIONS` entry: Node.js 24 on arm64, bundled locally by esbuild with
 * the shared `BUNDLING` options, logging to its own log group, with exactly the environment `environmentKeysOf(spec)`
 * names and only the permissions its spec declares (its role has no managed policy).
 */
export class ChatFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ChatFunctionProps) {
    super(scope, id);
    const { name, spec } = props;
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    if (spec.manageConnections && !props.stage) {
      throw new Error(`Function ${name} manages connections (topology) but ChatFunction got no stage`);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${name} chat function`,
    });
    this.logGroup.grantWrite(this.role);

    const options: lambda.FunctionOptions = {
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      environment: this.environment(props),
    };
    this.function = props.image
      ? new lambda.DockerImageFunction(this, 'Function', { ...options, code: props.image })
      : new NodejsFunction(this, 'Function', {
          ...options,
          entry: path.join(projectRoot, spec.entry),
          handler: 'handler',
          projectRoot,
          depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
          runtime: lambda.Runtime.NODEJS_24_X,
          bundling: {
            minify: BUNDLING.minify,
            sourceMap: BUNDLING.sourceMap,
            externalModules: [...BUNDLING.externalModules],
            mainFields: [...BUNDLING.mainFields],
            esbuildArgs: bundlingAliasArgs(),
          },
        });
    this.grant(props);
  }

  /**
   * One variable per `environmentSourcesOf(spec)` entry (so exactly `environmentKeysOf(spec)`), each resolved to its
   * deployed value, plus `FIXED_ENVIRONMENT_KEYS`.
   */
  private environment(props: ChatFunctionProps): Record<string, string> {
    const { name, spec, stage } = props;
    const valueOf = (source: EnvironmentSource): string => {
      switch (source.kind) {
        case 'table':
          return props.tables[source.table].tableName;
        case 'stream':
          return props.streams[source.stream].streamName;
        case 'managementApi':
          if (!stage) throw new Error(`Function ${name} manages connections (topology) but ChatFunction got no stage`);
          return stage.callbackUrl;
        case 'setting':
          return props.settings[source.setting];
      }
    };
    return {
      ...Object.fromEntries(environmentSourcesOf(spec).map(([key, source]) => [key, valueOf(source)])),
      POWERTOOLS_SERVICE_NAME: serviceNameOf(name),
      // Stack traces point at the TypeScript sources through the bundled source map.
      NODE_OPTIONS: '--enable-source-maps',
    };
  }

  /**
   * The grants the spec declares, call by call, nothing else. Stream reads are granted by the event source
   * (ChatStreamConsumer). No wildcard: an index is granted by its own ARN.
   */
  private grant(props: ChatFunctionProps): void {
    const { name, spec } = props;
    for (const [table, access] of Object.entries(spec.tables) as [TableName, TableAccess][]) {
      const { tableArn } = props.tables[table];
      if (access.actions.length > 0) {
        iam.Grant.addToPrincipal({ grantee: this.function, actions: [...access.actions], resourceArns: [tableArn] });
      }
      const indexes = access.queriesIndexes ?? [];
      for (const index of indexes) {
        if (!(index in TABLES[table].indexes)) throw new Error(`Function ${name} queries ${table} index ${index}, which topology TABLES does not declare`);
      }
      if (indexes.length > 0) {
        iam.Grant.addToPrincipal({
          grantee: this.function,
          actions: ['dynamodb:Query'],
          resourceArns: indexes.map((index) => `${tableArn}/index/${index}`),
        });
      }
    }
    for (const stream of spec.writesTo) {
      iam.Grant.addToPrincipal({
        grantee: this.function,
        actions: [...STREAM_WRITE_ACTIONS],
        resourceArns: [props.streams[stream].streamArn],
      });
    }
    for (const model of spec.models) {
      this.grantModel(name, props.settings[model.setting], model.actions);
    }
    for (const setting of secretSettingsOf(spec)) {
      const secretName = props.settings[setting];
      if (secretName) this.grantSecret(setting, secretName);
    }
    if (spec.manageConnections && props.stage) {
      // Only POST (PostToConnection): nothing calls GetConnection or DeleteConnection.
      const apiArn = Stack.of(this).formatArn({ service: 'execute-api', resource: props.stage.api.apiId });
      iam.Grant.addToPrincipal({
        grantee: this.function,
        actions: ['execute-api:ManageConnections'],
        resourceArns: [`${apiArn}/${props.stage.stageName}/POST/@connections/*`],
      });
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${managementApiResourcePattern(props.stage)}]`,
        reason:
          `The ${name} function posts to connections of this one API stage; connection ids are ` +
          'assigned by API Gateway at runtime, so the @connections/{id} resource can only be a wildcard.',
      });
    }
  }

  private grantModel(name: string, modelId: string, actions: readonly string[]): void {
    const { crossRegionModelArn } = grantBedrockModel(this, this.role, modelId, actions);
    if (!crossRegionModelArn) return;
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${crossRegionModelArn.replace(Stack.of(this).partition, '<AWS::Partition>')}]`,
      reason:
        `The ${name} function calls the cross-region inference profile ${modelId}, which routes each request to ` +
        'that one foundation model in one of several regions; Bedrock checks the model in the region it picks.',
    });
  }

  /**
   * Lets the function read one secret, given by name or complete ARN in the context value `setting`. By name, the
   * grant's resource is `secret:{name}-??????` (Secrets Manager appends six random characters): `?` is no `*`, so
   * cdk-nag's IAM5 has nothing to flag and there is nothing to acknowledge.
   */
  public grantSecret(setting: string, secretName: string): iam.Grant {
    const secret = secretName.startsWith('arn:')
      ? secretsmanager.Secret.fromSecretCompleteArn(this, `Secret-${setting}`, secretName)
      : secretsmanager.Secret.fromSecretNameV2(this, `Secret-${setting}`, secretName);
    return secret.grantRead(this.role);
  }
}

/** How cdk-nag prints the PostToConnection resource (intrinsics as `<LogicalId>`). */
function managementApiResourcePattern(stage: apigwv2.WebSocketStage): string {
  const apiLogicalId = Stack.of(stage).getLogicalId(stage.api.node.defaultChild as apigwv2.CfnApi);
  const arnPrefix = 'arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>';
  return `${arnPrefix}:<${apiLogicalId}>/${stage.stageName}/POST/@connections/*`;
}
