import { join, resolve } from 'node:path';
import { BUNDLING } from '../../contract';
import { bundlingAlias } from '../../lib/bundling-alias';
import { PROJECT_ROOT } from '../../lib/project-root';
import { cachedBuild } from './build-cache';

/** Where bundles are kept between runs: inside node_modules, so a fresh install starts without them. */
export const FUNCTION_BUNDLE_CACHE = join(PROJECT_ROOT, 'node_modules', '.cache', 'local-functions');

/**
 * Bundles each function's handler module with esbuild, with the options `NodejsFunction` uses in the stack
 * (BUNDLING), and the worker that hosts them. `entries` maps a function's name to its module (a relative path is
 * from the current directory). Returns the path of each bundle, and whether an identical earlier build (same options,
 * same content of every file it read: local/lambda/build-cache.ts) was reused: a test suite starts the runtime dozens
 * of times, and esbuild is most of each start.
 */
export async function bundleFunctions<Name extends string>(
  entries: Readonly<Record<Name, string>>,
  cacheRoot: string = FUNCTION_BUNDLE_CACHE,
): Promise<{ functions: Record<Name, string>; worker: string; reused: boolean }> {
  const names = Object.keys(entries) as Name[];
  const { outDir, reused } = await cachedBuild({
    entryPoints: [
      ...names.map((name) => ({ in: resolve(entries[name]), out: `${name}/index` })),
      { in: join(__dirname, 'worker-entry.ts'), out: 'worker/index' },
    ],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    external: [...BUNDLING.externalModules],
    mainFields: [...BUNDLING.mainFields],
    alias: bundlingAlias(),
    logLevel: 'error',
  }, cacheRoot, PROJECT_ROOT);
  const functions = Object.fromEntries(names.map((name) => [name, join(outDir, name, 'index.js')])) as Record<Name, string>;
  return { functions, worker: join(outDir, 'worker', 'index.js'), reused };
}
