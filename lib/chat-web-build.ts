import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { build, buildSync, type BuildOptions } from 'esbuild';
import { PROJECT_ROOT } from './project-root';

/** The chat page's sources: `web/src` (TypeScript) and `web/public` (HTML, CSS, icon). */
export const WEB_DIR = path.join(PROJECT_ROOT, 'web');

/** Files copied as they are; styles.css is minified by esbuild. */
const STATIC_FILES = ['index.html', 'favicon.svg'] as const;

export interface PageBuildOptions {
  /**
   * Write a source map next to app.js.
   * @default false - the deployed page ships none, so its asset hash depends on the sources only
   */
  readonly sourceMap?: boolean;
}

function esbuildOptions(outDir: string, options: PageBuildOptions): BuildOptions {
  return {
    entryPoints: { app: path.join(WEB_DIR, 'src/main.ts'), styles: path.join(WEB_DIR, 'public/styles.css') },
    outdir: outDir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    // Phones and browsers of the last few years; esbuild lowers newer syntax.
    target: ['chrome109', 'firefox115', 'safari15.6', 'edge109'],
    minify: true,
    sourcemap: options.sourceMap ?? false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'error',
  };
}

function copyStatic(outDir: string): void {
  for (const file of STATIC_FILES) copyFileSync(path.join(WEB_DIR, 'public', file), path.join(outDir, file));
}

/**
 * Builds the whole page into `outDir`: index.html, app.js, styles.css, favicon.svg. No WebSocket URL is built in:
 * the page reads it from config.json next to it at run time (written by the deployment, or served by the local runtime).
 */
export async function buildPage(outDir: string, options: PageBuildOptions = {}): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build(esbuildOptions(outDir, options));
  copyStatic(outDir);
}

/** `buildPage`, synchronously: for CDK local bundling, which runs during synth and cannot wait. */
export function buildPageSync(outDir: string, options: PageBuildOptions = {}): void {
  mkdirSync(outDir, { recursive: true });
  buildSync(esbuildOptions(outDir, options));
  copyStatic(outDir);
}
