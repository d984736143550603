import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { BUNDLING } from '../contract';
import { bundlingAlias } from './bundling-alias';

/** Sources of a Tailscale function's Docker build context, relative to the project root. */
export const TAILSCALE_SOURCES = {
  dockerfile: 'lambdas/bot/tailscale/Dockerfile',
  extension: 'lambdas/bot/tailscale/extension.ts',
} as const;

/** The files of the build context (what the Dockerfile copies), relative to it. */
export const TAILSCALE_BUILD_CONTEXT_FILES = {
  dockerfile: 'Dockerfile',
  handler: 'index.js',
  handlerSourceMap: 'index.js.map',
  extension: 'extensions/tailscale',
} as const;

/** Options of `writeTailscaleBuildContext`. */
export interface TailscaleBuildContextOptions {
  /** The handler module, relative to `projectRoot` (a topology `entry`); it exports `handler`. */
  readonly entry: string;
  /** Folder holding `entry`, the Dockerfile, the extension and `node_modules`. */
  readonly projectRoot: string;
  /**
   * Whether to bundle the handler and the extension. Off when CDK skips bundling for the stack (it is not being
   * deployed): the context then holds the Dockerfile only.
   */
  readonly bundle: boolean;
}

/**
 * Writes the Docker build context of a function that reaches its llama server over Tailscale into `directory`
 * (replacing what was there): the Dockerfile, the handler bundled by esbuild exactly like a zip function (topology
 * `BUNDLING`: minified, with a source map, the AWS SDK inside) and the Lambda extension bundled into one executable
 * script (the Secrets Manager client inside; not minified, since /opt/extensions has no room for a source map: Lambda
 * runs every file there). The same sources give the same bytes wherever `directory` is, so the image asset's hash only
 * changes with the code.
 */
export function writeTailscaleBuildContext(directory: string, options: TailscaleBuildContextOptions): void {
  const { projectRoot } = options;
  fs.rmSync(directory, { recursive: true, force: true });
  fs.mkdirSync(directory, { recursive: true });
  const write = (file: string, contents: Uint8Array, mode: number) => {
    const target = path.join(directory, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, contents);
    // Explicit, whatever the umask: Lambda runs the image as a user that does not own these files.
    fs.chmodSync(target, mode);
  };
  write(
    TAILSCALE_BUILD_CONTEXT_FILES.dockerfile,
    fs.readFileSync(path.join(projectRoot, TAILSCALE_SOURCES.dockerfile)),
    0o644,
  );
  if (!options.bundle) return;

  const common: esbuild.BuildOptions = {
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // Nothing is written where esbuild would put it: the output paths only make the source map's paths relative to
    // the project root (lambdas/bot/handler.ts), whatever `directory` is.
    write: false,
    logLevel: 'error',
  };
  const outputs = [
    ...bundle(options.entry, {
      ...common,
      entryPoints: [path.join(projectRoot, options.entry)],
      outfile: path.join(projectRoot, TAILSCALE_BUILD_CONTEXT_FILES.handler),
      minify: BUNDLING.minify,
      sourcemap: BUNDLING.sourceMap,
      external: [...BUNDLING.externalModules],
      mainFields: [...BUNDLING.mainFields],
      alias: bundlingAlias(),
    }),
    ...bundle(TAILSCALE_SOURCES.extension, {
      ...common,
      entryPoints: [path.join(projectRoot, TAILSCALE_SOURCES.extension)],
      outfile: path.join(projectRoot, TAILSCALE_BUILD_CONTEXT_FILES.extension),
      banner: { js: '#!/usr/bin/env node' },
    }),
  ];
  for (const output of outputs) {
    const file = path.relative(projectRoot, output.path);
    write(file, output.contents, file === TAILSCALE_BUILD_CONTEXT_FILES.extension ? 0o755 : 0o644);
  }
}

function bundle(entry: string, options: esbuild.BuildOptions): esbuild.OutputFile[] {
  try {
    return esbuild.buildSync(options).outputFiles ?? [];
  } catch (error) {
    throw new Error(`Failed to bundle ${entry} for the Tailscale container image: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
