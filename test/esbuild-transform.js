// Jest transform: TypeScript to CommonJS with esbuild, file by file, without type checking (`tsc --noEmit` does that
// before jest in `npm test`; tsconfig.json has `isolatedModules`, so every file compiles on its own).
const { createHash } = require('node:crypto');
const { transformSync, version } = require('esbuild');

// `import()` becomes a `require` in a promise, as in the function bundles (esbuild bundles a lazily loaded module into
// the same CommonJS file): jest's module registry cannot run a real dynamic import without experimental VM modules.
const OPTIONS = {
  loader: 'ts',
  format: 'cjs',
  target: 'node20',
  supported: { 'dynamic-import': false },
  sourcemap: 'external',
};

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha1').update(`esbuild ${version}\0${JSON.stringify(OPTIONS)}\0${filename}\0`).update(source).digest('hex');
  },
  process(source, filename) {
    const { code, map } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code, map };
  },
};
