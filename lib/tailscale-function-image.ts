import * as path from 'node:path';
import { Names, Stack, Stage } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { ChatFunction } from './chat-function';
import { PROJECT_ROOT } from './project-root';
import { writeTailscaleBuildContext } from './tailscale-build-context';
import { tailscaleProxyUrl, type TailscaleConfig } from './tailscale-config';
import { TAILSCALE_ENVIRONMENT, type FunctionSpec } from '../contract';

/** Props of `TailscaleFunctionImage`. */
export interface TailscaleFunctionImageProps {
  /** Its handler (`entry`) goes into the image. */
  readonly spec: FunctionSpec;
  readonly config: TailscaleConfig;
  /**
   * Folder that `spec.entry` is relative to, holding `node_modules`.
   * @default - the repository root (the folder above lib/)
   */
  readonly projectRoot?: string;
}

/**
 * The container image of a function that reaches its llama server over Tailscale: the AWS Lambda Node.js 24 base
 * image (arm64), the tailscale and tailscaled binaries from the official Tailscale image, the function's handler and a
 * Lambda extension that joins the tailnet before the first invocation and offers tailscaled's proxy on 127.0.0.1
 * (docs/tailscale.md). Its Docker build context is assembled here at synth (under the cloud assembly directory);
 * Docker only builds it when `cdk deploy` publishes the asset.
 *
 * Pass `code` to `ChatFunction` as its `image` and `proxyUrl` as its `llamaProxyUrl` setting, then `connect` it.
 */
export class TailscaleFunctionImage extends Construct {
  public readonly code: lambda.DockerImageCode;
  /** The Docker build context: Dockerfile, bundled handler, bundled extension. */
  public readonly directory: string;
  /** Where the function sends its llama traffic: tailscaled's HTTP proxy, `http://127.0.0.1:{proxyPort}`. */
  public readonly proxyUrl: string;
  private readonly props: TailscaleFunctionImageProps;

  constructor(scope: Construct, id: string, props: TailscaleFunctionImageProps) {
    super(scope, id);
    this.props = props;
    const stage = Stage.of(this);
    if (!stage) {
      throw new Error('TailscaleFunctionImage must be in a CDK App: it writes its build context to the cloud assembly');
    }
    this.directory = path.join(stage.outdir, 'tailscale', Names.uniqueId(this));
    writeTailscaleBuildContext(this.directory, {
      entry: props.spec.entry,
      projectRoot: props.projectRoot ?? PROJECT_ROOT,
      bundle: Stack.of(this).bundlingRequired,
    });
    this.code = lambda.DockerImageCode.fromImageAsset(this.directory, { platform: Platform.LINUX_ARM64 });
    this.proxyUrl = tailscaleProxyUrl(props.config);
  }

  /** Gives the function built from `code` what the extension reads: its settings and the auth key secret. */
  connect(chatFunction: ChatFunction): void {
    const { config } = this.props;
    chatFunction.function.addEnvironment(TAILSCALE_ENVIRONMENT.authKeySecret, config.authKeySecret);
    chatFunction.function.addEnvironment(TAILSCALE_ENVIRONMENT.hostname, config.hostname);
    chatFunction.function.addEnvironment(TAILSCALE_ENVIRONMENT.proxyPort, String(config.proxyPort));
    chatFunction.grantSecret('tailscaleAuthKeySecret', config.authKeySecret);
  }
}
