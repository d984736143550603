import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLING, FUNCTIONS, STREAMS, TABLES, type FunctionName } from '../contract';
import { bundlingAlias } from '../lib/bundling-alias';

/**
 * Cold-start benchmark: each function bundle's size and its module init (the time `require` of the bundle takes in a
 * fresh Node process, which is what a person waits for at the handshake on top of Lambda's own start), for this tree
 * and for a baseline commit bundled the way that commit bundled (its own `BUNDLING` options: today's bundles as they
 * shipped) in the same run, beside bundles that only create one bare SDK client, built both ways.
 *
 *   npm run bench:cold                       # baseline: the commit before the functions were slimmed
 *   npm run bench:cold -- --baseline HEAD~3 --runs 21
 */

const PROJECT_ROOT = resolve(__dirname, '..');
const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string', default: '583c387' },
    runs: { type: 'string', default: '15' },
  },
});
const RUNS = Number(args.runs);
const NAMES = Object.keys(FUNCTIONS) as FunctionName[];

interface Bundle {
  label: string;
  path: string;
  bytes: number;
}

/** The bundling options that matter for size and init; a baseline from before `mainFields` existed lacks it. */
interface BundlingOptions {
  minify: boolean;
  externalModules: readonly string[];
  mainFields?: readonly string[];
  /** Absolute paths of the stand-ins (`bundlingAlias()`); a baseline from before `alias` existed lacks it. */
  alias?: Readonly<Record<string, string>>;
}

async function bundle(root: string, entry: string, outFile: string, options: BundlingOptions): Promise<Bundle> {
  await build({
    entryPoints: [resolve(root, entry)],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    minify: options.minify,
    external: [...options.externalModules],
    ...(options.mainFields ? { mainFields: [...options.mainFields] } : {}),
    ...(options.alias ? { alias: { ...options.alias } } : {}),
    logLevel: 'error',
    absWorkingDir: root,
  });
  return { label: entry, path: outFile, bytes: statSync(outFile).size };
}

/** The baseline commit's sources beside this tree's node_modules, so only our code differs. */
function checkOutBaseline(ref: string, into: string): string {
  const root = join(into, 'baseline');
  mkdirSync(root, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', ref], { cwd: PROJECT_ROOT, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', root], { input: archive });
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

/** The baseline's own `BUNDLING` (in contract/ now, in lib/ before the contract existed). */
async function bundlingOptionsOf(root: string): Promise<BundlingOptions> {
  const file = ['contract/topology.ts', 'lib/topology.ts'].map((path) => join(root, path)).find((path) => existsSync(path));
  if (!file) throw new Error(`no topology.ts with BUNDLING in ${root}`);
  const { BUNDLING: options } = (await import(pathToFileURL(file).href)) as { BUNDLING: BundlingOptions };
  // The stand-ins of a baseline that has them are its own files.
  const alias = options.alias && Object.fromEntries(Object.entries(options.alias).map(([module, path]) => [module, join(root, path)]));
  return { ...options, ...(alias ? { alias } : {}) };
}

// Enough environment for every handler's module init to succeed; nothing is called.
const INIT_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // Every table and stream the topology names (a function reads those it uses at init).
  ...Object.fromEntries([...Object.entries(TABLES), ...Object.entries(STREAMS)].map(([name, spec]) => [spec.envVar, name])),
  MANAGEMENT_API_URL: 'https://example.execute-api.us-east-1.amazonaws.com/prod',
  BOT_TARGETS: 'offline',
  EMBEDDER: 'offline',
  LOG_LEVEL: 'ERROR',
};

const MEASURE_INIT = `
const start = process.hrtime.bigint();
require(process.argv[1]);
process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
`;

function initMs(bundlePath: string): number {
  const run = spawnSync(process.execPath, ['-e', MEASURE_INIT, bundlePath], { env: INIT_ENV, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`init of ${bundlePath} failed: ${run.stderr}`);
  return Number(run.stdout);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'chat-cold-'));
  try {
    const baselineRoot = checkOutBaseline(args.baseline, work);
    const baselineOptions = await bundlingOptionsOf(baselineRoot);
    const bareEntry = join(baselineRoot, 'bare-sdk.ts');
    writeFileSync(
      bareEntry,
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n",
    );
    const bareBefore = await bundle(baselineRoot, bareEntry, join(work, 'bare-old', 'index.js'), baselineOptions);
    const currentOptions: BundlingOptions = { ...BUNDLING, alias: bundlingAlias() };
    const bare = await bundle(baselineRoot, bareEntry, join(work, 'bare', 'index.js'), currentOptions);
    const rows = await Promise.all(
      NAMES.map(async (name) => ({
        name,
        baseline: await bundle(baselineRoot, FUNCTIONS[name].entry, join(work, 'old', name, 'index.js'), baselineOptions),
        current: await bundle(PROJECT_ROOT, FUNCTIONS[name].entry, join(work, 'new', name, 'index.js'), currentOptions),
      })),
    );

    // Round-robin, so drift in the machine's load touches every bundle alike.
    const samples = new Map<string, number[]>();
    const all = [bareBefore, bare, ...rows.flatMap((row) => [row.baseline, row.current])];
    for (let run = 0; run < RUNS; run++) {
      for (const item of all) samples.set(item.path, [...(samples.get(item.path) ?? []), initMs(item.path)]);
    }
    const init = (item: Bundle) => median(samples.get(item.path) ?? []);
    const kb = (item: Bundle) => (item.bytes / 1024).toFixed(0).padStart(6);
    const ms = (value: number) => value.toFixed(1).padStart(8);

    console.log(
      `Module init, median of ${RUNS} fresh processes, same run; baseline = ${args.baseline} bundled with its own options.`,
    );
    console.log(
      `bare SDK client (one DynamoDBClient): ${kb(bareBefore)} -> ${kb(bare)} KB, init ${ms(init(bareBefore))} -> ${ms(init(bare))} ms` +
        ' (baseline options -> now)\n',
    );
    console.log('function   size KB (baseline -> now)   init ms (baseline -> now)   init speed-up');
    for (const { name, baseline, current } of rows) {
      const speedUp = init(baseline) / init(current);
      console.log(
        `${name.padEnd(9)} ${kb(baseline)} -> ${kb(current)}          ${ms(init(baseline))} -> ${ms(init(current))}      ${speedUp.toFixed(1)}x`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
