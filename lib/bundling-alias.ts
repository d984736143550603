import * as path from 'node:path';
import { BUNDLING } from '../contract';
import { PROJECT_ROOT } from './project-root';

/**
 * `BUNDLING.alias` with each stand-in as an absolute path, for esbuild's `alias` option: the files live in this
 * repository whatever folder esbuild works in.
 */
export function bundlingAlias(): Record<string, string> {
  return Object.fromEntries(Object.entries(BUNDLING.alias).map(([module, file]) => [module, path.join(PROJECT_ROOT, file)]));
}

/** The same as esbuild command-line arguments (`NodejsFunction`'s `esbuildArgs`): `--alias:module=/abs/file.ts`. */
export function bundlingAliasArgs(): { '--alias': string[] } {
  return { '--alias': Object.entries(bundlingAlias()).map(([module, file]) => `${module}=${file}`) };
}
