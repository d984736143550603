import { build } from 'esbuild';
import { join } from 'node:path';
import { BUNDLING, FUNCTIONS, type FunctionName } from '../../contract';
import { bundlingAlias } from '../../lib/bundling-alias';
import { PROJECT_ROOT } from '../../lib/project-root';


/**
 * Bundles every function with esbuild, with the options `NodejsFunction` uses in the stack (BUNDLING), and the
 * worker that hosts them. Returns the path of each bundle.
 */
export async function bundleFunctions(outDir: string): Promise<{ functions: Record<FunctionName, string>; worker: string }> {
  const names = Object.keys(FUNCTIONS) as FunctionName[];
  await build({
    entryPoints: [
      ...names.map((name) => ({ in: join(PROJECT_ROOT, FUNCTIONS[name].entry), out: `${name}/index` })),
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
  const functions = Object.fromEntries(names.map((name) => [name, join(outDir, name, 'index.js')])) as Record<
    FunctionName,
    string
  >;
  return { functions, worker: join(outDir, 'worker', 'index.js') };
}
