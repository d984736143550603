// The stack reads FUNCTIONS (and FUNCTION_DESCRIPTIONS) from the contract, as in production: here the contract has one
// entry more. The esbuild
// jest transform does not hoist jest.mock above imports, so extension.test.ts imports this module before any other.
jest.mock('../../contract', () => {
  const actual = jest.requireActual<typeof import('../../contract')>('../../contract');
  const { DIGEST, DIGEST_DESCRIPTION } = jest.requireActual<typeof import('./digest-function')>('./digest-function');
  return {
    ...actual,
    FUNCTIONS: { ...actual.FUNCTIONS, digest: DIGEST },
    FUNCTION_DESCRIPTIONS: { ...actual.FUNCTION_DESCRIPTIONS, digest: DIGEST_DESCRIPTION },
  };
});
