/**
 * Three tiers, each runnable alone (`npm run test:unit`, `test:cdk`, `test:e2e`); `npm test` runs them all.
 * - unit: modules and in-process fakes, seconds;
 * - cdk: the stack synthesized in memory (without bundling or the CloudFormation schema check except where a test
 *   is about them);
 * - e2e: the local runtime over real sockets, and Chromium.
 */
const tier = (displayName, directories, extra = {}) => ({
  displayName,
  rootDir: __dirname,
  roots: directories.map((directory) => `<rootDir>/test/${directory}`),
  testMatch: ['**/*.test.ts'],
  testEnvironment: 'node',
  // Transpile only (esbuild): `tsc --noEmit` type-checks everything before jest runs in `npm test`.
  transform: { '^.+\\.ts$': '<rootDir>/test/esbuild-transform.js' },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  ...extra,
});

const TIERS = {
  unit: ['bot', 'contract', 'lambdas', 'local', 'retrieval', 'web'],
  cdk: ['cdk', 'docs'],
  e2e: ['integration', 'browser', 'chaos'],
};

// A test folder in no tier would silently never run.
const fs = require('node:fs');
const path = require('node:path');
const tiered = new Set(Object.values(TIERS).flat());
const untiered = fs
  .readdirSync(path.join(__dirname, 'test'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'support' && entry.name !== 'fixtures' && !tiered.has(entry.name));
if (untiered.length > 0) throw new Error(`jest.config.js: test/${untiered[0].name} is in no tier`);

// One headless Chromium for the whole e2e run, which every browser test file connects to, instead of a launch (and a
// close) per file: test/browser/chromium-server.ts.
const E2E = {
  globalSetup: '<rootDir>/test/browser/chromium-server.ts',
  globalTeardown: '<rootDir>/test/browser/chromium-server-stop.ts',
};

// Synthesized assemblies go to temporary folders that only a normal process exit would delete.
const CDK = { setupFilesAfterEnv: ['<rootDir>/test/cdk/remove-temporary-assemblies.ts'] };

/** @type {import('jest').Config} */
module.exports = {
  projects: Object.entries(TIERS).map(([name, directories]) => tier(name, directories, { e2e: E2E, cdk: CDK }[name] ?? {})),
  testTimeout: 60000,
  // Integration suites start their own local runtime on free ports; two workers fit a 2-core machine.
  maxWorkers: 2,
};
