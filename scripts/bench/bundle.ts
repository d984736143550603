import { build } from 'esbuild';
import { join } from 'node:path';

/** Bundles a bench worker the way the local runtime bundles a function, so it runs in a plain worker thread. */
export async function bundleWorker(entry: string, outDir: string): Promise<string> {
  const outfile = join(outDir, 'worker.js');
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
  return outfile;
}
