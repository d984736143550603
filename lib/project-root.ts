import * as path from 'node:path';

/** The repository root (the folder above `lib/`): topology `entry` paths and `package-lock.json` are relative to it. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');
