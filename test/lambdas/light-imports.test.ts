// What keeps the function bundles light (README "Cold start"): a handler's imports name the module they need, never a
// folder's index.ts that would drag in everything beside it, and validation uses zod/mini, which esbuild can trim,
// never the whole of zod.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).flatMap((entry) => {
    const path = join(ROOT, folder, entry);
    if (statSync(path).isDirectory()) return sources(relative(ROOT, path));
    return path.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:from|import) '([^']+)'/g)].map((match) => match[1] ?? '');

test('no module under lambdas/ imports a folder (its index.ts)', () => {
  const folderImports = sources('lambdas').flatMap((file) =>
    importsOf(file)
      .filter((path) => path.startsWith('.'))
      .filter((path) => existsSync(join(ROOT, dirname(file), path, 'index.ts')))
      .map((path) => `${file} -> ${path}`),
  );
  // The message function's action table imports every action it dispatches to; it is not a re-exporting barrel.
  expect(folderImports).toStrictEqual(['lambdas/message/handle-frame.ts -> ./actions']);
});

test('lambdas/ validate with zod/mini, never the whole of zod', () => {
  const zodImports = sources('lambdas').flatMap((file) =>
    importsOf(file)
      .filter((path) => path === 'zod' || path.startsWith('zod/'))
      .map((path) => `${file} -> ${path}`),
  );
  expect(zodImports.filter((entry) => !entry.endsWith('-> zod/mini') && !entry.endsWith('-> zod/locales'))).toStrictEqual([]);
  expect(zodImports.length).toBeGreaterThan(0);
});

test('no module under lambdas/ imports what only the stack and the docs need (descriptions, stack settings)', () => {
  const deployOnly = ['setting-descriptions', 'stack-settings', 'topology-descriptions', 'index'].map((name) => `contract/${name}.ts`);
  const imports = sources('lambdas').flatMap((file) =>
    importsOf(file)
      .filter((path) => path.startsWith('.'))
      .map((path) => relative(ROOT, resolve(ROOT, dirname(file), path)))
      .map((path) => (existsSync(join(ROOT, `${path}.ts`)) ? `${path}.ts` : join(path, 'index.ts')))
      .filter((path) => deployOnly.includes(path))
      .map((path) => `${file} -> ${path}`),
  );
  expect(imports).toStrictEqual([]);
});
