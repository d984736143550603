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
});
