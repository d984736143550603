// The chat page on CloudFront: private bucket, OAC, HTTPS, headers, compression, the deployment with config.json,
// the PageUrl output and the $connect Origin allow-list defaulting to the distribution.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ChatWeb } from '../../lib/chat-web';
import { pageContentSecurityPolicy } from '../../lib/chat-web-headers';
import { getAtt, logicalIdOf, ref, synthesizeChat, type SynthesizedChat } from './chat-stack-fixture';

let chat: SynthesizedChat;
let resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string | string[] }>;
beforeAll(() => {
  chat = synthesizeChat();
  resources = chat.template.toJSON().Resources;
});

const propertiesOf = (construct: Parameters<typeof logicalIdOf>[0]) => resources[logicalIdOf(construct)].Properties;

/** The API's `wss://` stage URL as the template spells it. */
const stageUrl = () => ({
  'Fn::Join': [
    '',
    ['wss://', ref(chat.stack.api.api), '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/prod'],
  ],
});
const distributionOrigin = () => ({ 'Fn::Join': ['', ['https://', getAtt(chat.stack.web.distribution, 'DomainName')]] });

describe('page bucket', () => {
  test('blocks all public access, is encrypted, and logs its access to the log bucket', () => {
    expect(propertiesOf(chat.stack.web.bucket)).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: ref(chat.stack.web.logBucket), LogFilePrefix: 's3/' },
    });
    expect(propertiesOf(chat.stack.web.bucket).AccessControl).toBeUndefined();
  });

  test('can be read only by this distribution, and only over TLS', () => {
    const [policy] = Object.values(chat.template.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: ref(chat.stack.web.bucket) },
    }));
    expect(policy.Properties.PolicyDocument.Statement).toStrictEqual([
      {
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: [getAtt(chat.stack.web.bucket, 'Arn'), { 'Fn::Join': ['', [getAtt(chat.stack.web.bucket, 'Arn'), '/*']] }],
      },
      {
        Action: 's3:GetObject',
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', ref(chat.stack.web.distribution)],
              ],
            },
          },
        },
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [getAtt(chat.stack.web.bucket, 'Arn'), '/*']] },
      },
    ]);
  });

  test('the log bucket is private, encrypted, expires logs, and takes S3 logs by bucket policy (no ACL grant)', () => {
    expect(propertiesOf(chat.stack.web.logBucket)).toStrictEqual({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 90, Status: 'Enabled' }] },
      // CloudFront standard logging needs ACLs enabled on its bucket.
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    chat.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(chat.stack.web.logBucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 's3:PutObject', Principal: { Service: 'logging.s3.amazonaws.com' } }),
        ]),
      },
    });
  });
});

describe('distribution', () => {
  test('reads the bucket through origin access control, redirects to HTTPS, compresses, and logs', () => {
    const config = propertiesOf(chat.stack.web.distribution).DistributionConfig as Record<string, unknown>;
    const [oacId] = Object.keys(chat.template.findResources('AWS::CloudFront::OriginAccessControl'));
    expect(config).toMatchObject({
      Enabled: true,
      DefaultRootObject: 'index.html',
      HttpVersion: 'http2and3',
      PriceClass: 'PriceClass_100',
      Logging: { Bucket: getAtt(chat.stack.web.logBucket, 'RegionalDomainName'), Prefix: 'cloudfront/' },
      Origins: [
        {
          DomainName: getAtt(chat.stack.web.bucket, 'RegionalDomainName'),
          OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
          S3OriginConfig: { OriginAccessIdentity: '' },
        },
      ],
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'redirect-to-https',
        Compress: true,
        AllowedMethods: ['GET', 'HEAD'],
        // Managed policy CachingOptimized (gzip and brotli in the cache key).
        CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        ResponseHeadersPolicyId: ref(chat.stack.web.responseHeadersPolicy),
      },
    });
    chat.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    chat.template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });
});

describe('response headers policy', () => {
  test('allows only the page itself and the WebSocket stage, and sets the security headers', () => {
    const config = propertiesOf(chat.stack.web.responseHeadersPolicy).ResponseHeadersPolicyConfig as Record<string, unknown>;
    const csp = (config.SecurityHeadersConfig as { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } })
      .ContentSecurityPolicy.ContentSecurityPolicy;

    // The policy with the stage URL put back in place of its tokens.
    const marker = 'WSS_STAGE_URL';
    const [before, after] = pageContentSecurityPolicy({ webSocketSources: [marker], upgradeInsecureRequests: true }).split(marker);
    expect(csp).toStrictEqual({ 'Fn::Join': ['', [before + stageUrl()['Fn::Join'][1][0], ...stageUrl()['Fn::Join'][1].slice(1, -1), `/prod${after}`]] });
    expect(before).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' ");
    expect(after).toContain("frame-ancestors 'none'");
    expect(after).toContain("require-trusted-types-for 'script'");
    expect(config.SecurityHeadersConfig).toMatchObject({
      ContentSecurityPolicy: { Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      XSSProtection: { Protection: false, Override: true },
    });
    expect(config.CustomHeadersConfig).toStrictEqual({
      Items: [
        { Header: 'Permissions-Policy', Override: true, Value: expect.stringContaining('camera=()') },
        { Header: 'Cross-Origin-Opener-Policy', Override: true, Value: 'same-origin' },
      ],
    });
  });
});

describe('deployment', () => {
  test('writes the built page and a config.json holding the deployed wss:// URL, no-cache, pruning old files', () => {
    const [deployment] = Object.values(chat.template.findResources('Custom::CDKBucketDeployment'));
    const properties = deployment.Properties;
    expect(properties).toMatchObject({
      DestinationBucketName: ref(chat.stack.web.bucket),
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
      ServiceToken: getAtt(chat.stack.web.deploymentHandler, 'Arn'),
    });
    expect(properties.SourceObjectKeys).toHaveLength(2);
    // config.json is written at deploy time: the markers in it become the API id, region and URL suffix.
    expect(properties.SourceMarkers[1]).toStrictEqual({
      '<<marker:0xbaba:0>>': ref(chat.stack.api.api),
      '<<marker:0xbaba:1>>': { Ref: 'AWS::Region' },
      '<<marker:0xbaba:2>>': { Ref: 'AWS::URLSuffix' },
    });
    const assembly = chat.app.synth();
    const configDir = path.join(assembly.directory, `asset.${String(properties.SourceObjectKeys[1]).replace(/\.zip$/, '')}`);
    expect(JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8'))).toStrictEqual({
      webSocketUrl: 'wss://<<marker:0xbaba:0>>.execute-api.<<marker:0xbaba:1>>.<<marker:0xbaba:2>>/prod',
    });
  });

  test('its handler has its own role and log group, with no managed policy', () => {
    const handler = propertiesOf(chat.stack.web.deploymentHandler);
    const role = resources[(handler.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(handler.LoggingConfig).toStrictEqual({ LogGroup: expect.objectContaining({ Ref: expect.stringMatching(/^WebDeploymentLogs/) }) });
  });
});

describe('outputs and the handshake Origin allow-list', () => {
  test('PageUrl is the distribution URL', () => {
    expect(chat.template.toJSON().Outputs.PageUrl.Value).toStrictEqual({
      'Fn::Join': ['', ['https://', getAtt(chat.stack.web.distribution, 'DomainName'), '/']],
    });
  });

  test('with no allowedOrigins configured, $connect allows the CloudFront origin', () => {
    expect(propertiesOf(chat.stack.functions.connect.function).Environment).toMatchObject({
      Variables: { ALLOWED_ORIGINS: distributionOrigin() },
    });
  });

  test('a configured allowedOrigins is used as given', () => {
    const configured = synthesizeChat({ context: { allowedOrigins: 'https://chat.example.com' } });
    const connect = configured.template.toJSON().Resources[logicalIdOf(configured.stack.functions.connect.function)];
    expect(connect.Properties.Environment.Variables.ALLOWED_ORIGINS).toBe('https://chat.example.com');
  });
});

test('the template has no dependency cycle (the connect function depends on the distribution, not the reverse)', () => {
  const dependencies = (value: unknown, found = new Set<string>()): Set<string> => {
    if (Array.isArray(value)) value.forEach((item) => dependencies(item, found));
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string' && inner in resources) found.add(inner);
        else if (key === 'Fn::GetAtt' && Array.isArray(inner) && String(inner[0]) in resources) found.add(String(inner[0]));
        else dependencies(inner, found);
      }
    }
    return found;
  };
  const edges = new Map(
    Object.entries(resources).map(([id, resource]) => [
      id,
      new Set([...dependencies(resource.Properties), ...[resource.DependsOn ?? []].flat()]),
    ]),
  );
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      cycles.push([...trail, id].join(' -> '));
      return;
    }
    state.set(id, 'visiting');
    for (const next of edges.get(id) ?? []) visit(next, [...trail, id]);
    state.set(id, 'done');
  };
  for (const id of edges.keys()) visit(id, []);

  expect(cycles).toStrictEqual([]);
  expect(edges.get(logicalIdOf(chat.stack.functions.connect.function))).toContain(logicalIdOf(chat.stack.web.distribution));
});

describe('the page asset, built at synth by esbuild (no Docker)', () => {
  let assetDir: string;
  let configDir: string;
  let stack: Stack;
  beforeAll(() => {
    // The page build is the point here; test/cdk/bundling.test.ts runs the CloudFormation schema check.
    const app = new App({ builtinCloudFormationValidation: false });
    stack = new Stack(app, 'PageOnly');
    new ChatWeb(stack, 'Web', { webSocketUrl: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod' });
    const assembly = app.synth();
    const [deployment] = Object.values(Template.fromStack(stack).findResources('Custom::CDKBucketDeployment'));
    const [page, config] = (deployment.Properties.SourceObjectKeys as string[]).map((key) =>
      path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`),
    );
    assetDir = page;
    configDir = config;
  });

  test('holds the page files, minified, with no WebSocket URL baked in', () => {
    expect(fs.readdirSync(assetDir).sort()).toStrictEqual(['app.js', 'favicon.svg', 'index.html', 'styles.css']);
    const app = fs.readFileSync(path.join(assetDir, 'app.js'), 'utf8');
    expect(app.length).toBeLessThan(60_000);
    expect(app).not.toContain('sourceMappingURL');
    expect(app).toContain('config.json');
    expect(app).not.toMatch(/wss?:\/\/[a-z0-9]|localhost|execute-api/);
    expect(fs.readFileSync(path.join(assetDir, 'index.html'), 'utf8')).toContain('<script type="module" src="app.js"></script>');
  });

  test('config.json holds the given URL', () => {
    expect(JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8'))).toStrictEqual({
      webSocketUrl: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod',
    });
  });

  test('the construct on its own passes cdk-nag', () => {
    expect(new AwsSolutionsChecks().validateScope(stack)).toStrictEqual({ success: true, violations: [] });
  });
});
