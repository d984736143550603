import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** Cross-region inference profile ids start with a geography, e.g. `us.amazon.nova-lite-v1:0`. */
const INFERENCE_PROFILE = /^(us|eu|apac|us-gov|jp|au|ca|global)\.(.+)$/;

/**
 * Lets `grantee` call exactly one Bedrock model with exactly `actions`. A foundation model id gets the model's ARN in
 * the stack's region; an inference profile id gets the profile's ARN plus its foundation model in every region the
 * profile may route to (Bedrock authorizes both).
 */
export function grantBedrockModel(
  scope: Construct,
  grantee: iam.IGrantable,
  modelId: string,
  actions: readonly string[],
): { grant: iam.Grant; crossRegionModelArn: string | undefined } {
  const stack = Stack.of(scope);
  const profile = INFERENCE_PROFILE.exec(modelId);
  const foundationModelArn = (region: string, id: string) =>
    `arn:${stack.partition}:bedrock:${region}::foundation-model/${id}`;
  const resourceArns = profile
    ? [
        `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${modelId}`,
        foundationModelArn('*', profile[2] as string),
      ]
    : [foundationModelArn(stack.region, modelId)];
  const grant = iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns });
  return { grant, crossRegionModelArn: profile ? resourceArns[1] : undefined };
}
