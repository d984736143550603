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
import { PROJECT_ROOT } from './project-root';
import {
  BUNDLING,
  environmentSourcesOf,
  secretSettingsOf,
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

const TABLE_GRANTS = {
  read: (table, grantee) => table.grantReadData(grantee),
  write: (table, grantee) => table.grantWriteData(grantee),
  readWrite: (table, grantee) => table.grantReadWriteData(grantee),
} as const satisfies Record<TableAccess, (table: dynamodb.ITable, grantee: iam.IGrantable) => iam.Grant>;

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
      description: spec.description,
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
      POWERTOOLS_SERVICE_NAME: `chat-${name}`,
      // Stack traces point at the TypeScript sources through the bundled source map.
      NODE_OPTIONS: '--enable-source-maps',
    };
  }

  /** The grants the spec declares, nothing else. Stream reads are granted by the event source (ChatStreamConsumer). */
  private grant(props: ChatFunctionProps): void {
    const { name, spec } = props;
    for (const [table, access] of Object.entries(spec.tables) as [TableName, TableAccess][]) {
      TABLE_GRANTS[access](props.tables[table], this.function);
      if (Object.keys(TABLES[table].indexes).length > 0) {
        this.acknowledgeIndexWildcard(name, table, access, props.tables[table]);
      }
    }
    for (const stream of spec.writesTo) {
      props.streams[stream].grantWrite(this.function);
    }
    for (const model of spec.models) {
      this.grantModel(name, props.settings[model.setting], model.actions);
    }
    for (const setting of secretSettingsOf(spec)) {
      const secretName = props.settings[setting];
      if (secretName) this.grantSecret(setting, secretName);
    }
    if (spec.manageConnections && props.stage) {
      props.stage.grantManagementApiAccess(this.function);
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${managementApiResourcePattern(props.stage)}]`,
        reason:
          `The ${name} function posts to and deletes connections of this one API stage; connection ids are ` +
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

  /** cdk-nag flags the `<table-arn>/index/*` resource that CDK's table grants add for a table with indexes. */
  private acknowledgeIndexWildcard(
    name: string,
    table: TableName,
    access: TableAccess,
    resource: dynamodb.ITable,
  ): void {
    const logicalId = Stack.of(this).getLogicalId(resource.node.defaultChild as dynamodb.CfnTable);
    const indexes = Object.keys(TABLES[table].indexes).join(', ');
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
      reason:
        `The ${name} function has ${access} access to the ${table} table (topology.ts), and a table grant also ` +
        `covers that table's indexes (${indexes}) as <table-arn>/index/*: ` +
        'the wildcard spans the indexes of this one table only.',
    });
  }
}

/** How cdk-nag prints the resource of `WebSocketStage.grantManagementApiAccess` (intrinsics as `<LogicalId>`). */
function managementApiResourcePattern(stage: apigwv2.WebSocketStage): string {
  const apiLogicalId = Stack.of(stage).getLogicalId(stage.api.node.defaultChild as apigwv2.CfnApi);
  const arnPrefix = 'arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>';
  return `${arnPrefix}:<${apiLogicalId}>/${stage.stageName}/*/@connections/*`;
}
