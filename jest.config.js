/**
 * Three tiers, each runnable alone (`npm run test:unit`, `test:cdk`, `test:e2e`); `npm test` runs them all.
 * - unit: modules and in-process fakes, seconds;
 * - cdk: the stack synthesized in memory (without bundling or the CloudFormation schema check except where a test
 *   is about them);
 * - e2e: the local runtime over real sockets, and Chromium.
 */
const tier = (displayName, directories) => ({
  displayName,
  rootDir: __dirname,
  roots: directories.map((directory) => `<rootDir>/test/${directory}`),
  testMatch: ['**/*.test.ts'],
  testEnvironment: 'node',
  // Transpile only (esbuild): `tsc --noEmit` type-checks everything before jest runs in `npm test`.
  transform: { '^.+\\.ts$': '<rootDir>/test/esbuild-transform.js' },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    tier('unit', ['bot', 'lambdas', 'local', 'retrieval']),
    tier('cdk', ['cdk']),
    tier('e2e', ['integration', 'browser']),
  ],
  testTimeout: 60000,
  // Integration suites start their own local runtime on free ports; two workers fit a 2-core machine.
  maxWorkers: 2,
};
