import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { pascalCase } from './names';
import { TABLES, type TableName, type TableSpec } from '../contract';

/** Props of `ChatTables`. */
export interface ChatTablesProps {
  /**
   * Removal policy of a table with point-in-time recovery off (state that is worthless after the stack is gone, such
   * as the live connection registry).
   * @default RemovalPolicy.DESTROY
   */
  readonly ephemeralRemovalPolicy?: RemovalPolicy;
  /**
   * Removal policy of a table with point-in-time recovery on (data worth a backup is worth keeping when the stack is
   * deleted, such as room history).
   * @default RemovalPolicy.RETAIN
   */
  readonly durableRemovalPolicy?: RemovalPolicy;
}

/**
 * One DynamoDB table per topology `TABLES` entry: on-demand, string keys, AWS-managed KMS encryption, TTL, PITR and
 * global secondary indexes as specified.
 */
export class ChatTables extends Construct {
  public readonly tables: Readonly<Record<TableName, dynamodb.Table>>;

  constructor(scope: Construct, id: string, props: ChatTablesProps = {}) {
    super(scope, id);
    const ephemeral = props.ephemeralRemovalPolicy ?? RemovalPolicy.DESTROY;
    const durable = props.durableRemovalPolicy ?? RemovalPolicy.RETAIN;

    this.tables = Object.fromEntries(
      (Object.entries(TABLES) as [TableName, TableSpec][]).map(([name, spec]) => [
        name,
        this.createTable(name, spec, spec.pointInTimeRecovery ? durable : ephemeral),
      ]),
    ) as Record<TableName, dynamodb.Table>;
  }

  private createTable(name: string, spec: TableSpec, removalPolicy: RemovalPolicy): dynamodb.Table {
    const table = new dynamodb.Table(this, pascalCase(name), {
      partitionKey: { name: spec.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: spec.sortKey ? { name: spec.sortKey, type: dynamodb.AttributeType.STRING } : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: spec.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: spec.pointInTimeRecovery },
      removalPolicy,
    });
    for (const [indexName, index] of Object.entries(spec.indexes)) {
      table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: index.sortKey ? { name: index.sortKey, type: dynamodb.AttributeType.STRING } : undefined,
        ...(index.nonKeyAttributes.length > 0
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.nonKeyAttributes] }
          : { projectionType: dynamodb.ProjectionType.KEYS_ONLY }),
      });
    }
    if (!spec.pointInTimeRecovery) {
      if (!spec.withoutRecoveryBecause) {
        throw new Error(`Table ${name} has point-in-time recovery off; say why in topology.ts (withoutRecoveryBecause)`);
      }
      Validations.of(table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason: `The ${name} table has point-in-time recovery off by design (topology.ts): ${spec.withoutRecoveryBecause}.`,
      });
    }
    return table;
  }
}
