import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ChatStack, type ChatStackProps } from '../../lib/chat-stack';

/** A synthesized chat stack: the construct tree (for logical ids and cdk-nag) and its template. */
export interface SynthesizedChat {
  readonly app: App;
  readonly stack: ChatStack;
  readonly template: Template;
}

export interface SynthesizeOptions {
  /** CDK context, as `cdk.json` or `-c` would give it. */
  readonly context?: Record<string, unknown>;
  /** Whether NodejsFunction bundles with esbuild. Off by default: the shape tests do not need the code. */
  readonly bundling?: boolean;
  readonly stackProps?: ChatStackProps;
  /**
   * Whether synth runs aws-cdk-lib's built-in CloudFormation schema check (seconds per synth). Off by default: the
   * shape tests assert the template themselves, and test/cdk/bundling.test.ts synthesizes with the check on.
   */
  readonly schemaCheck?: boolean;
}

/** Builds the stack the way bin/chat.ts does (config from context) and synthesizes it once. */
export function synthesizeChat(options: SynthesizeOptions = {}): SynthesizedChat {
  const app = new App({
    builtinCloudFormationValidation: options.schemaCheck ?? false,
    context: {
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const stack = new ChatStack(app, 'ChatTest', options.stackProps);
  return { app, stack, template: Template.fromStack(stack) };
}

/** The CDK context that turns Tailscale on (docs/tailscale.md), with the two values it needs. */
export const TAILSCALE_ON = {
  tailscale: 'true',
  tailscaleAuthKeySecret: 'chat/tailscale',
  llamaUrl: 'http://100.101.102.6:8080',
} as const;

export interface DockerImageAsset {
  readonly displayName?: string;
  readonly source: { readonly directory: string; readonly platform?: string };
}

/** The docker image assets of the stack's asset manifest, keyed by asset hash, and where the assembly is. */
export function dockerImagesOf(app: App, stack: Stack): { directory: string; images: Record<string, DockerImageAsset> } {
  const assembly = app.synth();
  const manifestFile = path.join(assembly.directory, `${stack.artifactId}.assets.json`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
    dockerImages?: Record<string, DockerImageAsset>;
  };
  return { directory: assembly.directory, images: manifest.dockerImages ?? {} };
}

/** Logical id of the CloudFormation resource behind an L2 construct (or of an L1 itself). */
export function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild ?? construct;
  return Stack.of(construct).getLogicalId(resource as Parameters<Stack['getLogicalId']>[0]);
}

/** `{ Ref: id }` and `{ 'Fn::GetAtt': [id, attr] }` as they appear in the template. */
export const ref = (construct: IConstruct) => ({ Ref: logicalIdOf(construct) });
export const getAtt = (construct: IConstruct, attribute: string) => ({
  'Fn::GetAtt': [logicalIdOf(construct), attribute],
});

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** The statements of the default policy attached to a role (by the role's logical id). */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as unknown[]).some(
      (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
    ),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatement[]);
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
