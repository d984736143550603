import { build, version, type BuildOptions, type Metafile } from 'esbuild';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Files esbuild reads that its metafile does not list: compiler settings, and what decides how packages resolve. */
const SETTINGS_FILES = ['package.json', 'package-lock.json', 'tsconfig.json'] as const;

/** Builds not used for this long are deleted when a new build is stored. */
const UNUSED_BUILD_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** mtime resolution of the coarsest common file systems: an input touched this close to the build may be newer than it. */
const MTIME_SLACK_MS = 2000;

export interface CachedBuild {
  outDir: string;
  /** False when esbuild ran for this call. */
  reused: boolean;
}

/**
 * Runs esbuild with `options` into a folder under `cacheRoot`, or returns the folder of an earlier identical build.
 * A build is identified by esbuild's version, the options, the settings files, and the content of every input its
 * metafile listed; the inputs of the latest build are checked again on each call, so editing any of them (or the
 * options) builds anew. Builds are written to a temporary folder and renamed into place, so concurrent callers
 * (jest workers) never see half a build; the loser of a race keeps its own copy. Builds stay where they are written
 * (their source maps point to the sources relative to their folder).
 */
export async function cachedBuild(options: Omit<BuildOptions, 'outdir' | 'metafile'>, cacheRoot: string, projectRoot: string): Promise<CachedBuild> {
  const cwd = process.cwd();
  const settings = SETTINGS_FILES.map((file) => [file, contentHash(join(projectRoot, file))]);
  const family = join(cacheRoot, sha256(JSON.stringify({ version, cwd, options, settings })).slice(0, 20));
  const inputsFile = join(family, 'inputs.json');
  const lastInputs = readInputs(inputsFile);
  if (lastInputs) {
    const known = join(family, inputsKey(lastInputs, cwd));
    if (existsSync(join(known, 'done'))) {
      const now = new Date();
      utimesSync(known, now, now);
      return { outDir: known, reused: true };
    }
  }

  mkdirSync(family, { recursive: true });
  const temporary = join(family, `.building-${randomUUID()}`);
  const started = Date.now();
  const result = await build({ ...options, outdir: temporary, metafile: true });
  const inputs = inputFiles(result.metafile, cwd);
  // An input edited while esbuild ran may be newer than what it bundled: such a build is used once, never cached.
  if (inputs.some((file) => statSync(resolve(cwd, file)).mtimeMs >= started - MTIME_SLACK_MS)) return { outDir: temporary, reused: false };
  writeFileSync(join(temporary, 'done'), '');
  const final = join(family, inputsKey(inputs, cwd));
  try {
    renameSync(temporary, final);
  } catch (error) {
    // Another process stored the same build first (a folder is not renamed over a non-empty one).
    if (!existsSync(join(final, 'done'))) throw error;
    return { outDir: temporary, reused: false };
  }
  writeAtomically(inputsFile, JSON.stringify(inputs));
  pruneUnused(family, final);
  return { outDir: final, reused: false };
}

/** The files esbuild read, relative to `cwd` as the metafile gives them (virtual modules, like `<runtime>`, left out). */
function inputFiles(metafile: Metafile, cwd: string): string[] {
  return Object.keys(metafile.inputs)
    .filter((file) => existsSync(resolve(cwd, file)))
    .sort();
}

function inputsKey(files: readonly string[], cwd: string): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0${contentHash(resolve(cwd, file))}\0`);
  return hash.digest('hex').slice(0, 32);
}

function contentHash(path: string): string {
  try {
    return sha256(readFileSync(path));
  } catch {
    return 'missing';
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function readInputs(path: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return Array.isArray(parsed) && parsed.every((entry) => typeof entry === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${randomUUID()}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function pruneUnused(family: string, keep: string): void {
  const cutoff = Date.now() - UNUSED_BUILD_LIFETIME_MS;
  for (const entry of readdirSync(family, { withFileTypes: true })) {
    const path = join(family, entry.name);
    if (!entry.isDirectory() || path === keep) continue;
    if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
  }
}
