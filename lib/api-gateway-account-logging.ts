import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The regional API Gateway account setting that lets API Gateway write CloudWatch Logs. WebSocket stages with access
 * logging fail to create ("CloudWatch Logs role ARN must be set in account settings to enable logging") until it is
 * set once per account and region. Both resources are retained on stack deletion because other APIs in the account
 * may rely on the setting.
 */
export class ApiGatewayAccountLogging extends Construct {
  public readonly role: iam.Role;
  public readonly account: apigateway.CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets API Gateway write access and execution logs to CloudWatch Logs (regional account setting)',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account = new apigateway.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'This role becomes the account-wide (per region) API Gateway logging role, used by every API in the ' +
        'account, not only this stack; AWS maintains this managed policy for exactly that purpose, and scoping it ' +
        "to this stack's log groups would break other APIs' logging.",
    });
  }
}
