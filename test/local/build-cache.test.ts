import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedBuild } from '../../local/lambda/build-cache';
import { PROJECT_ROOT } from '../../lib/project-root';

/** Files written by the test are dated an hour back, as files are that nobody is editing while esbuild runs. */
function writeSettled(path: string, text: string): void {
  writeFileSync(path, text);
  const past = new Date(Date.now() - 60 * 60 * 1000);
  utimesSync(path, past, past);
}

describe('cachedBuild', () => {
  let dir: string;
  let cache: string;
  let options: Parameters<typeof cachedBuild>[0];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'build-cache-'));
    cache = join(dir, 'cache');
    writeSettled(join(dir, 'entry.js'), "exports.answer = require('./value.js').value;\n");
    writeSettled(join(dir, 'value.js'), 'exports.value = 1;\n');
    options = { entryPoints: [{ in: join(dir, 'entry.js'), out: 'entry/index' }], bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' };
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const output = (outDir: string) => readFileSync(join(outDir, 'entry', 'index.js'), 'utf8');

  test('an unchanged build is reused, from the same folder', async () => {
    const first = await cachedBuild(options, cache, PROJECT_ROOT);
    const second = await cachedBuild(options, cache, PROJECT_ROOT);
    expect(first.reused).toBe(false);
    expect(second).toEqual({ outDir: first.outDir, reused: true });
    expect(output(second.outDir)).toContain('value = 1');
  });

  test('editing a file the build read (not an entry point) builds anew', async () => {
    const first = await cachedBuild(options, cache, PROJECT_ROOT);
    writeSettled(join(dir, 'value.js'), 'exports.value = 2;\n');
    const second = await cachedBuild(options, cache, PROJECT_ROOT);
    expect(second.reused).toBe(false);
    expect(second.outDir).not.toBe(first.outDir);
    expect(output(second.outDir)).toContain('value = 2');
    expect(output(first.outDir)).toContain('value = 1');
  });

  test('other options build anew', async () => {
    const first = await cachedBuild(options, cache, PROJECT_ROOT);
    const minified = await cachedBuild({ ...options, minify: true }, cache, PROJECT_ROOT);
    expect(minified.reused).toBe(false);
    expect(output(minified.outDir)).not.toBe(output(first.outDir));
  });

  test('a build whose input changed while esbuild ran (a recent mtime) is used once and not kept for reuse', async () => {
    writeFileSync(join(dir, 'value.js'), 'exports.value = 3;\n');
    const first = await cachedBuild(options, cache, PROJECT_ROOT);
    const second = await cachedBuild(options, cache, PROJECT_ROOT);
    expect([first.reused, second.reused]).toEqual([false, false]);
    expect(output(first.outDir)).toContain('value = 3');
  });

  test('concurrent callers each get a complete build, and one of them is kept for reuse', async () => {
    const builds = await Promise.all([1, 2, 3].map(() => cachedBuild(options, cache, PROJECT_ROOT)));
    for (const each of builds) expect(output(each.outDir)).toContain('value = 1');
    const later = await cachedBuild(options, cache, PROJECT_ROOT);
    expect(later.reused).toBe(true);
    expect(builds.map((each) => each.outDir)).toContain(later.outDir);
    const [family] = readdirSync(cache);
    expect(readdirSync(join(cache, family)).filter((entry) => !entry.startsWith('.') && entry !== 'inputs.json')).toEqual([later.outDir.split('/').pop()]);
  });
});
