// The one file that bundles for real: every function is built locally by esbuild (no Docker) with the shared
// BUNDLING options: minified, source map beside it, nothing external (the AWS SDK is inside the bundle); and, with
// Tailscale on, the bot's container image build context (docs/tailscale.md), which is assembled at synth.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { isBuiltin } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { readChatConfig } from '../../lib/chat-config';
import { ChatStack } from '../../lib/chat-stack';
import { TailscaleFunctionImage } from '../../lib/tailscale-function-image';
import { FUNCTIONS, type FunctionName } from '../../contract';
import { dockerImagesOf, logicalIdOf, TAILSCALE_ON } from './chat-stack-fixture';

const ROOT = path.resolve(__dirname, '..', '..');
const outdirs: string[] = [];
let app: App;
let stack: ChatStack;
let tailscaleStack: ChatStack;
let template: Template;
const previousDocker = process.env.CDK_DOCKER;

beforeAll(() => {
  // Any attempt to fall back to Docker fails loudly instead of silently succeeding elsewhere.
  process.env.CDK_DOCKER = '/nonexistent/docker';
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-bundle-'));
  outdirs.push(outdir);
  // The one synthesis of the whole stack that also runs aws-cdk-lib's CloudFormation schema check (the shape tests
  // skip it: seconds per synthesis), on both stacks: without Tailscale, and with it, where the bot is a
  // container-image function. One app: CDK stages an asset once per assembly, so the zip functions and the page the
  // two stacks share are bundled once. The Tailscale stack gets its config as bin/chat.ts gives it.
  app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true }, builtinCloudFormationValidation: true });
  stack = new ChatStack(app, 'ChatBundled');
  tailscaleStack = new ChatStack(app, 'ChatTailscale', { config: readChatConfig(new App({ context: TAILSCALE_ON }).node) });
  template = Template.fromStack(stack);
});

afterAll(() => {
  if (previousDocker === undefined) delete process.env.CDK_DOCKER;
  else process.env.CDK_DOCKER = previousDocker;
  for (const outdir of outdirs) fs.rmSync(outdir, { recursive: true, force: true });
});

/** Every file under `directory`, relative to it, sorted. */
function filesUnder(directory: string): string[] {
  return (fs.readdirSync(directory, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Modules a bundle still requires that Node does not provide (the lookbehind skips the SDK's advice text). `node:`
 * ids are built in by definition, including those newer than the Node running the tests (node:sqlite on Node 20).
 */
const nonBuiltinRequires = (code: string) =>
  [...new Set([...code.matchAll(/(?<!\[)\brequire\("([^"]+)"\)/g)].map((match) => match[1]))].filter(
    (id) => !id.startsWith('node:') && !isBuiltin(id),
  );

const names = Object.keys(FUNCTIONS) as FunctionName[];
const SIZE_BUDGET_KB: Record<FunctionName, number> = { connect: 350, message: 350, fanout: 350, bot: 1200 };

test.each(names)('%s is bundled locally into one minified file with a source map', (name) => {
  const resource = template.toJSON().Resources[logicalIdOf(stack.functions[name].function)];
  const assetDir = path.join(app.outdir, resource.Metadata['aws:asset:path']);

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

describe('the Docker build context of the bot with Tailscale on, bundled at synth (no Docker)', () => {
  let first: { hash: string | undefined; context: string };
  beforeAll(() => {
    const { directory, images } = dockerImagesOf(app, tailscaleStack);
    const [hash, image] = Object.entries(images)[0] ?? [];
    first = { hash, context: path.join(directory, image?.source.directory ?? '') };
  });

  test('holds the Dockerfile, the bundled handler with its source map and the bundled extension', () => {
    expect(filesUnder(first.context)).toStrictEqual(['Dockerfile', 'extensions/tailscale', 'index.js', 'index.js.map']);
  });

  test('the Dockerfile: Node.js 24 Lambda base, binaries from the official Tailscale image, extension, handler', () => {
    const dockerfile = fs.readFileSync(path.join(first.context, 'Dockerfile'), 'utf8');
    expect(dockerfile).toBe(fs.readFileSync(path.join(ROOT, 'lambdas/bot/tailscale/Dockerfile'), 'utf8'));
    expect(dockerfile.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toStrictEqual([
      'FROM tailscale/tailscale:stable AS tailscale',
      'FROM public.ecr.aws/lambda/nodejs:24',
      'COPY --from=tailscale /usr/local/bin/tailscaled /usr/local/bin/tailscale /usr/local/bin/',
      'COPY extensions/tailscale /opt/extensions/tailscale',
      'COPY index.js* ${LAMBDA_TASK_ROOT}/',
      'CMD ["index.handler"]',
    ]);
  });

  test('the handler is bundled like every zip function: minified, source map, the AWS SDK inside', () => {
    const code = fs.readFileSync(path.join(first.context, 'index.js'), 'utf8');
    expect(code.trimEnd().split('\n').at(-1)).toBe('//# sourceMappingURL=index.js.map');
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    expect(nonBuiltinRequires(code)).toStrictEqual([]);
    // Source paths are relative to the project root, so the bytes do not depend on where the assembly is.
    const sources = JSON.parse(fs.readFileSync(path.join(first.context, 'index.js.map'), 'utf8')).sources as string[];
    expect(sources.filter((source) => source === FUNCTIONS.bot.entry)).toStrictEqual([FUNCTIONS.bot.entry]);
    expect(sources.some((source) => source.startsWith('node_modules/@aws-sdk/'))).toBe(true);
  });

  test('the extension is one executable Node script with the Secrets Manager client inside', () => {
    const file = path.join(first.context, 'extensions/tailscale');
    const code = fs.readFileSync(file, 'utf8');
    expect(code.split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(fs.statSync(file).mode & 0o777).toBe(0o755);
    expect(nonBuiltinRequires(code)).toStrictEqual([]);
    expect(code).toContain('// lambdas/bot/tailscale/extension.ts');
    expect(code).toContain('// node_modules/@aws-sdk/client-secrets-manager/');
  });

  test('the bundled extension runs on Node and fails by name without its environment', () => {
    const result = spawnSync(process.execPath, [path.join(first.context, 'extensions/tailscale')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect([result.status, result.stdout]).toStrictEqual([
      1,
      '[tailscale] failed: Error: Environment variable TS_PROXY_PORT is required\n',
    ]);
  });

  /**
   * The bot's image alone, bundled in a fresh assembly directory of another app, under another stack and construct
   * path: the image asset's hash is a function of its build context only, so a second synthesis of just that (the
   * handler and the extension bundled again, not the four zip functions and the page) checks the same hash, from a
   * different directory and a different place in the tree.
   */
  const synthesizeImageAlone = () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-tailscale-image-'));
    outdirs.push(outdir);
    const app = new App({ outdir, context: TAILSCALE_ON, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'ImageAlone');
    const { tailscale } = readChatConfig(stack.node);
    if (!tailscale) throw new Error('expected the tailscale config');
    const image = new TailscaleFunctionImage(stack, 'Image', { spec: FUNCTIONS.bot, config: tailscale });
    new lambda.DockerImageFunction(stack, 'Function', { code: image.code, architecture: lambda.Architecture.ARM_64 });
    const { directory, images } = dockerImagesOf(app, stack);
    const [hash, asset] = Object.entries(images)[0] ?? [];
    return { hash, context: path.join(directory, asset?.source.directory ?? '') };
  };

  test('the same sources give the same image asset, wherever the assembly is written', () => {
    const second = synthesizeImageAlone();
    expect(second.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.hash).toBe(first.hash);
    expect(second.context).not.toBe(first.context);
    expect(filesUnder(second.context)).toStrictEqual(filesUnder(first.context));
  });
});
