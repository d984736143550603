// The one test that bundles for real: every function is built locally by esbuild (no Docker) with the shared
// BUNDLING options: minified, source map beside it, nothing external (the AWS SDK is inside the bundle).
import * as fs from 'node:fs';
import { isBuiltin } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ChatStack } from '../../lib/chat-stack';
import { FUNCTIONS, type FunctionName } from '../../contract';
import { logicalIdOf } from './chat-stack-fixture';

let outdir: string;
let stack: ChatStack;
let template: Template;
const previousDocker = process.env.CDK_DOCKER;

beforeAll(() => {
  // Any attempt to fall back to Docker fails loudly instead of silently succeeding elsewhere.
  process.env.CDK_DOCKER = '/nonexistent/docker';
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-bundle-'));
  // The one synthesis of the whole stack that also runs aws-cdk-lib's CloudFormation schema check (the shape tests
  // skip it: seconds per synthesis).
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true }, builtinCloudFormationValidation: true });
  stack = new ChatStack(app, 'ChatBundled');
  template = Template.fromStack(stack);
});

afterAll(() => {
  if (previousDocker === undefined) delete process.env.CDK_DOCKER;
  else process.env.CDK_DOCKER = previousDocker;
  fs.rmSync(outdir, { recursive: true, force: true });
});

const names = Object.keys(FUNCTIONS) as FunctionName[];
const SIZE_BUDGET_KB: Record<FunctionName, number> = { connect: 350, message: 350, fanout: 350, bot: 1200 };

test.each(names)('%s is bundled locally into one minified file with a source map', (name) => {
  const resource = template.toJSON().Resources[logicalIdOf(stack.functions[name].function)];
  const assetDir = path.join(outdir, resource.Metadata['aws:asset:path']);

  expect(fs.readdirSync(assetDir).sort()).toStrictEqual(['index.js', 'index.js.map']);
  const code = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');
  expect(code.trimEnd().split('\n').at(-1)).toBe('//# sourceMappingURL=index.js.map');
  // Minified: long lines (unminified esbuild output averages about 40 characters a line).
  expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
  // Nothing left for the runtime to provide: the only modules still required are Node built-ins. (The lookbehind
  // skips the SDK's error text that quotes `[require("@aws-sdk/signature-v4-crt");]` as advice.)
  const required = new Set([...code.matchAll(/(?<!\[)\brequire\("([^"]+)"\)/g)].map((match) => match[1]));
  // `node:` ids are built in by definition, including those newer than the Node running the tests (node:sqlite, which
  // undici loads lazily, exists on Lambda's Node 24 but not on this machine's Node 20).
  expect([...required].filter((id) => !id.startsWith('node:') && !isBuiltin(id))).toStrictEqual([]);
  // The handler and the AWS SDK it uses are both inside the bundle.
  const sources = JSON.parse(fs.readFileSync(path.join(assetDir, 'index.js.map'), 'utf8')).sources as string[];
  expect(sources.filter((source) => source.endsWith(FUNCTIONS[name].entry))).toHaveLength(1);
  expect(sources.some((source) => source.includes('node_modules/@aws-sdk/'))).toBe(true);
  // Credentials come from the environment only (contract BUNDLING.alias): none of the rest of the SDK's default chain
  // (profiles, SSO, STS, web identity and the nested clients they call, container and instance metadata) is shipped.
  // (Bedrock's client keeps its bearer-token provider, API keys or SSO-OIDC tokens: a token, not a credential, chain.)
  const credentialChain = /credential-provider-(?!env\/)|nested-clients\/dist-es\/submodules\/(?!sso-oidc\/)/;
  expect(sources.filter((source) => credentialChain.test(source))).toStrictEqual([]);
  expect(sources.filter((source) => source.endsWith('lambdas/shared/aws/env-credential-provider.ts'))).toHaveLength(1);
  // The DynamoDB client's endpoint-discovery cache is a Map, not mnemonist (contract BUNDLING.alias).
  expect(sources.filter((source) => source.includes('node_modules/mnemonist/'))).toStrictEqual([]);
  expect(sources.filter((source) => source.endsWith('lambdas/shared/aws/lru-cache.ts'))).toHaveLength(1);
  // Of the Pinecone client, the bot ships the data plane (`Index`), not the `Pinecone` class that also builds the
  // assistant, inference, admin and preview APIs.
  const pinecone = sources.filter((source) => source.includes('node_modules/@pinecone-database/pinecone/'));
  const notDataPlane = /\/dist\/(pinecone\.js|inference\/|admin\/|preview\/|pinecone-generated-ts-fetch-alpha\/|pinecone-generated-ts-fetch\/(assistant|inference|admin))/;
  expect(pinecone.filter((source) => notDataPlane.test(source))).toStrictEqual([]);
  // Issue 12's budgets, in KB of minified code (`npm run bench:cold` measures the same build and its module init).
  expect(code.length / 1024).toBeLessThanOrEqual(SIZE_BUDGET_KB[name]);
});
