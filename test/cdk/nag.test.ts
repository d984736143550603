// cdk-nag (AwsSolutions) passes with zero unacknowledged errors or warnings, and every acknowledgement is narrow,
// explained and still needed.
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagRuleCompliance, type IApplyRule } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { synthesizeChat, type SynthesizedChat } from './chat-stack-fixture';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every `Validations.of(x).acknowledge()` in the tree, with the construct it was made on. */
function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/**
 * AwsSolutions with acknowledgements ignored: what each acknowledgement is there for. `applyRule` is the protected
 * hook cdk-nag gives packs; this one records every finding (rule id as cdk-nag forms it: `<pack>-<rule>` plus
 * `[finding]` for rules that report several) instead of filtering out the acknowledged ones.
 */
class RawAwsSolutionsFindings extends AwsSolutionsChecks {
  public readonly findings: { readonly id: string; readonly path: string }[] = [];

  protected override applyRule(params: IApplyRule): void {
    const ruleId = `${this.packName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    const path = params.node.node.path;
    let result: ReturnType<IApplyRule['rule']>;
    try {
      result = params.rule(params.node);
    } catch {
      // cdk-nag reports a rule that throws (an unresolvable intrinsic) under the rule's own id.
      result = NagRuleCompliance.NON_COMPLIANT;
    }
    if (result === NagRuleCompliance.NON_COMPLIANT) this.findings.push({ id: ruleId, path });
    else if (Array.isArray(result)) this.findings.push(...result.map((finding) => ({ id: `${ruleId}[${finding}]`, path })));
  }
}

function rawFindings(root: IConstruct): RawAwsSolutionsFindings['findings'] {
  const checks = new RawAwsSolutionsFindings();
  checks.validateScope(root);
  return checks.findings;
}

let chat: SynthesizedChat;
let acknowledgements: Acknowledgement[];
beforeAll(() => {
  chat = synthesizeChat();
  acknowledgements = acknowledgementsIn(chat.stack);
});

test('AwsSolutions reports no unacknowledged error or warning', () => {
  expect(new AwsSolutionsChecks().validateScope(chat.stack)).toStrictEqual({ success: true, violations: [] });
});

test('every acknowledgement carries a specific reason', () => {
  expect(acknowledgements.length).toBeGreaterThan(0);
  for (const { path, id, reason } of acknowledgements) {
    expect({ path, id, reasonTooShort: reason.trim().length < 80 }).toStrictEqual({ path, id, reasonTooShort: false });
  }
});

test('acknowledgements sit on the resources they concern, never on the stack or app', () => {
  expect(
    acknowledgements
      .map(({ path, id }) => `${path} ${id}`)
      .sort(),
  ).toStrictEqual(
    [
      'ChatTest/Api/AccountLogging/Role AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'ChatTest/Api/WebSocketApi/$connect-Route AwsSolutions-APIG4',
      'ChatTest/Api/WebSocketApi/$default-Route AwsSolutions-APIG4',
      'ChatTest/Api/WebSocketApi/$disconnect-Route AwsSolutions-APIG4',
      'ChatTest/Api/WebSocketApi/history-Route AwsSolutions-APIG4',
      'ChatTest/Api/WebSocketApi/join-Route AwsSolutions-APIG4',
      'ChatTest/Api/WebSocketApi/sendMessage-Route AwsSolutions-APIG4',
      'ChatTest/Api/WebSocketApi/stopAnswer-Route AwsSolutions-APIG4',
      'ChatTest/Api/WebSocketApi/typing-Route AwsSolutions-APIG4',
      'ChatTest/Bot/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/amazon.nova-lite-v1:0]',
      'ChatTest/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB AwsSolutions-L1',
      'ChatTest/Fanout/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<ApiWebSocketApi2D925C7A>/prod/POST/@connections/*]',
      'ChatTest/FailedEvents/Queue AwsSolutions-SQS3',
      'ChatTest/Message/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<ApiWebSocketApi2D925C7A>/prod/POST/@connections/*]',
      'ChatTest/Tables/BotAnswers AwsSolutions-DDB3',
      'ChatTest/Tables/BotBudget AwsSolutions-DDB3',
      'ChatTest/Tables/Connections AwsSolutions-DDB3',
      'ChatTest/Web/DeploymentRole AwsSolutions-IAM5[Action::s3:Abort*]',
      'ChatTest/Web/DeploymentRole AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'ChatTest/Web/DeploymentRole AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'ChatTest/Web/DeploymentRole AwsSolutions-IAM5[Action::s3:GetObject*]',
      'ChatTest/Web/DeploymentRole AwsSolutions-IAM5[Action::s3:List*]',
      'ChatTest/Web/DeploymentRole AwsSolutions-IAM5[Resource::<WebPageDCE88126.Arn>/*]',
      'ChatTest/Web/DeploymentRole AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      'ChatTest/Web/Distribution AwsSolutions-CFR1',
      'ChatTest/Web/Distribution AwsSolutions-CFR2',
      'ChatTest/Web/Distribution AwsSolutions-CFR4',
    ].sort(),
  );
});

test('every acknowledgement matches a real finding on that construct (none is stale)', () => {
  const findings = rawFindings(chat.stack);
  expect(findings.length).toBeGreaterThan(0);
  for (const { path, id } of acknowledgements) {
    const matching = findings.filter((finding) => finding.id === id && finding.path.startsWith(`${path}/`));
    expect({ path, id, matched: matching.length > 0 }).toStrictEqual({ path, id, matched: true });
  }
  // And the reverse: the raw findings are exactly the acknowledged ones.
  for (const finding of findings) {
    const acknowledged = acknowledgements.some(
      ({ path, id }) => id === finding.id && finding.path.startsWith(`${path}/`),
    );
    expect({ ...finding, acknowledged }).toStrictEqual({ ...finding, acknowledged: true });
  }
});
