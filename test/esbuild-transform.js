// Jest transform: TypeScript to CommonJS with esbuild, file by file, without type checking (`tsc --noEmit` does that
// before jest in `npm test`; tsconfig.json has `isolatedModules`, so every file compiles on its own).
const { createHash } = require('node:crypto');
const { transformSync, version } = require('esbuild');

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha1').update(`esbuild ${version}\0${filename}\0`).update(source).digest('hex');
  },
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
};
