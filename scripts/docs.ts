import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, GENERATED_FILES } from './docs-tables';
import { PROJECT_ROOT } from '../lib/project-root';

/**
 * npm run docs: rewrites the generated tables of README.md and docs/deploy.md (settings from contract/settings.ts,
 * outputs from the stack). `npm run docs -- --check` changes nothing and exits 1 when a file is out of date.
 */
const check = process.argv.includes('--check');
let stale = 0;
for (const file of GENERATED_FILES) {
  const path = join(PROJECT_ROOT, file);
  const current = readFileSync(path, 'utf8');
  const generated = generate(file, current);
  if (generated === current) continue;
  stale += 1;
  if (check) console.error(`${file} is out of date: run npm run docs`);
  else {
    writeFileSync(path, generated);
    console.log(`${file} updated`);
  }
}
process.exitCode = check && stale > 0 ? 1 : 0;
