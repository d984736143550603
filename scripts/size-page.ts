import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPage } from '../lib/chat-web-build';
import { COMPRESSION_LIMITS, compress, ENCODINGS, type Encoding } from '../local/web/compress';

/**
 * npm run size:page: builds the page as the deployment does and prints each file's size as it is, gzipped and with
 * Brotli, compressed as `npm start` serves it (files under 1,000 bytes go as they are, as on CloudFront).
 */
async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'size-page-'));
  try {
    await buildPage(outDir);
    const rows: { file: string; raw: number; sizes: Record<Encoding, number> }[] = [];
    for (const file of readdirSync(outDir).sort()) {
      const body = readFileSync(join(outDir, file));
      const sizes = {} as Record<Encoding, number>;
      for (const encoding of ENCODINGS) {
        sizes[encoding] = body.length < COMPRESSION_LIMITS.minBytes ? body.length : (await compress(body, encoding)).length;
      }
      rows.push({ file, raw: body.length, sizes });
    }
    const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`.padStart(9);
    const total = (pick: (row: (typeof rows)[number]) => number): number => rows.reduce((sum, row) => sum + pick(row), 0);
    console.log(`${'file'.padEnd(12)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'br'.padStart(9)}`);
    for (const row of rows) console.log(`${row.file.padEnd(12)} ${kb(row.raw)} ${kb(row.sizes.gzip)} ${kb(row.sizes.br)}`);
    console.log(`${'total'.padEnd(12)} ${kb(total((row) => row.raw))} ${kb(total((row) => row.sizes.gzip))} ${kb(total((row) => row.sizes.br))}`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
