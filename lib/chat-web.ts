import {
  AssetHashType,
  DefaultStackSynthesizer,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type ILocalBundling,
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildPageSync, WEB_DIR } from './chat-web-build';
import { PAGE_PERMISSIONS_POLICY, pageContentSecurityPolicy } from './chat-web-headers';

/** Props of `ChatWeb`. */
export interface ChatWebProps {
  /**
   * The WebSocket stage URL (`wss://{api}.execute-api.{region}.amazonaws.com/{stage}`): written to config.json, and
   * the only endpoint besides the page's own origin its content security policy lets it connect to.
   */
  readonly webSocketUrl: string;
  /**
   * How long access logs (CloudFront's and the page bucket's) are kept.
   * @default Duration.days(90)
   */
  readonly accessLogRetention?: Duration;
  /**
   * Retention of the deployment custom resource's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly deploymentLogRetention?: logs.RetentionDays;
  /**
   * CloudFront edge locations used.
   * @default cloudfront.PriceClass.PRICE_CLASS_100 (North America and Europe, the cheapest)
   */
  readonly priceClass?: cloudfront.PriceClass;
}

/**
 * The chat page on CloudFront: a private, encrypted, SSL-only S3 bucket read through origin access control, HTTPS
 * only, compressed, with a response headers policy (a content security policy allowing the page's own assets and the
 * WebSocket endpoint only, HSTS, nosniff, no framing, no referrer). A deployment writes the page, built at synth by
 * the local esbuild (no Docker), and a `config.json` holding the deployed `wss://` URL, which the page reads at run
 * time. Access logs of the distribution and the bucket go to a log bucket that expires them.
 */
export class ChatWeb extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly logBucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  public readonly deployment: s3deploy.BucketDeployment;
  /** The Lambda function behind the deployment (a singleton per stack, created by BucketDeployment). */
  public readonly deploymentHandler: lambda.Function;
  /** `https://{distribution domain}`, as a browser sends it in the `Origin` header. */
  public readonly origin: string;
  /** `https://{distribution domain}/` */
  public readonly pageUrl: string;

  constructor(scope: Construct, id: string, props: ChatWebProps) {
    super(scope, id);
    // S3 server access logs are delivered under a bucket policy for the S3 logging service, not through the
    // deprecated LogDeliveryWrite ACL (the feature flag's recommended value, scoped to this construct).
    this.node.setContext(S3_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const accessLogRetention = props.accessLogRetention ?? Duration.days(90);

    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with an ACL granting the bucket owner full control.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: accessLogRetention }],
      // Kept when the stack is deleted, like every bucket here: CloudFormation cannot delete a bucket with objects.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'Page', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Chat page: CSP (own assets + the WebSocket API), HSTS, nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: pageContentSecurityPolicy({ webSocketSources: [props.webSocketUrl], upgradeInsecureRequests: true }),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        // The XSS auditor is gone from browsers and could be abused; the CSP does that job.
        xssProtection: { protection: false, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: PAGE_PERMISSIONS_POLICY, override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Serverless chat page',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'A public chat room is meant to be reachable from every country; the page holds no content that must be kept ' +
        'from any region, so there is no geo restriction.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves four small static files (GET/HEAD only) from a private bucket; the chat itself runs ' +
        'over the WebSocket API, which CloudFront does not front. A WAF web ACL (a monthly fee plus per-request ' +
        'charges) would protect nothing that can change state.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate, with which CloudFront does not allow ' +
        'choosing the minimum viewer TLS version; a custom domain with an ACM certificate would allow TLSv1.2_2021.',
    });

    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.pageUrl = `${this.origin}/`;

    this.deployment = this.deploy(props);
    this.deploymentHandler = this.acknowledgeHandler();
  }

  /** Writes the built page and config.json; no-cache, so a new deployment is seen at once. */
  private deploy(props: ChatWebProps): s3deploy.BucketDeployment {
    const role = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the chat page and its config.json into the page bucket',
    });
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: props.deploymentLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);

    const deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.asset(WEB_DIR, {
          assetHashType: AssetHashType.OUTPUT,
          bundling: { image: DockerImage.fromRegistry('unused-the-page-is-built-locally'), local: LOCAL_PAGE_BUILD },
        }),
        s3deploy.Source.jsonData('config.json', { webSocketUrl: props.webSocketUrl }),
      ],
      cacheControl: [s3deploy.CacheControl.noCache()],
      prune: true,
      role,
      logGroup,
      memoryLimit: 256,
    });

    // The copy reads the CDK asset bucket and writes this page bucket; CDK's grants use object wildcards for both.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::s3:GetObject*]',
      reason:
        'Granted by BucketDeployment on the CDK asset object of this page and on the page bucket: the copy reads ' +
        'object data and its metadata/ACL/version variants, all of which s3:GetObject* covers.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      reason:
        'Granted by BucketDeployment on the CDK asset bucket and the page bucket only: `aws s3 sync` reads bucket ' +
        'location and settings through several s3:GetBucket* calls.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::s3:List*]',
      reason:
        'Granted by BucketDeployment on the CDK asset bucket and the page bucket only: `aws s3 sync --delete` lists ' +
        'both to decide what to copy and what to prune.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      reason:
        'Granted by BucketDeployment on the page bucket only: pruning removes files an earlier deployment wrote ' +
        'that the current page no longer has.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::s3:Abort*]',
      reason:
        'Granted by BucketDeployment on the page bucket only: aborting a failed multipart upload of a page file.',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.bucket)}.Arn>/*]`,
      reason:
        'Every file of the page is written by name at deploy time (index.html, app.js, styles.css, config.json...), ' +
        'so write access is to the objects of this one page bucket.',
    });
    const qualifier: unknown = this.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${String(qualifier)}-assets-<AWS::AccountId>-<AWS::Region>/*]`,
      reason:
        'Read-only access to the CDK bootstrap asset bucket, where the zipped page asset is uploaded under a ' +
        'content hash chosen at synth: BucketDeployment grants its objects by wildcard.',
    });

    return deployment;
  }

  /** BucketDeployment puts its handler at the stack's root (one per stack); find it by the role given to it. */
  private acknowledgeHandler(): lambda.Function {
    const role = this.deployment.handlerRole;
    const handler = Stack.of(this)
      .node.findAll()
      .find((construct): construct is lambda.Function => construct instanceof lambda.Function && construct.role === role);
    if (!handler) throw new Error('ChatWeb: the BucketDeployment handler was not found');
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "BucketDeployment's handler runtime is fixed by aws-cdk-lib (Python, with the AWS CLI layer) and updated " +
        'with it; it runs only during deployments and never handles chat traffic.',
    });
    return handler;
  }
}

const S3_ACCESS_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/** Context key of the bootstrap qualifier (`cdk bootstrap --qualifier`), which names the CDK asset bucket. */
const BOOTSTRAP_QUALIFIER_CONTEXT = '@aws-cdk/core:bootstrapQualifier';

/** Builds the page in-process with esbuild at synth time (`buildPageSync`), so no Docker is needed. */
const LOCAL_PAGE_BUILD: ILocalBundling = {
  tryBundle(outputDir: string): boolean {
    buildPageSync(outputDir);
    return true;
  },
};

function logicalIdOf(bucket: s3.Bucket): string {
  return Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
}
