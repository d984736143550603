import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { BUNDLING } from '../../contract';
import { bundlingAlias } from '../../lib/bundling-alias';

/**
 * Bundles each function's handler module with esbuild, with the options `NodejsFunction` uses in the stack
 * (BUNDLING), and the worker that hosts them. `entries` maps a function's name to its module (a relative path is
 * from the current directory). Returns the path of each bundle.
 */
export async function bundleFunctions<Name extends string>(
  outDir: string,
  entries: Readonly<Record<Name, string>>,
): Promise<{ functions: Record<Name, string>; worker: string }> {
  const names = Object.keys(entries) as Name[];
  await build({
    entryPoints: [
      ...names.map((name) => ({ in: resolve(entries[name]), out: `${name}/index` })),
      { in: join(__dirname, 'worker-entry.ts'), out: 'worker/index' },
    ],
    outdir: outDir,
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
  });
  const functions = Object.fromEntries(names.map((name) => [name, join(outDir, name, 'index.js')])) as Record<Name, string>;
  return { functions, worker: join(outDir, 'worker', 'index.js') };
}
