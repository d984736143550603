import { CloudAssembly } from 'aws-cdk-lib/cx-api';

// An App made without `outdir` synthesizes into a new folder in the system's temporary directory, which CDK deletes
// when the process exits. Jest's workers run many test files and are stopped without that exit, so each file
// deletes its own (about 20 MB each; a whole `npm test` used to leave over 400 MB behind).
afterAll(() => CloudAssembly.cleanupTemporaryDirectories());
