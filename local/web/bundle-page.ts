import { build } from 'esbuild';
import { join, resolve } from 'node:path';

const PROJECT_ROOT = resolve(__dirname, '../..');

/** Bundles the chat page's script (web/src) into `outDir/app.js`; the same build the deployment uses. */
export async function bundlePage(outDir: string): Promise<void> {
  await build({
    entryPoints: [join(PROJECT_ROOT, 'web/src/main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'error',
  });
}
