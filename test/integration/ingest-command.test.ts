import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPineconeIndex } from '../../lambdas/shared/retrieval/open-pinecone-index';
import { PineconeVectorStore } from '../../lambdas/shared/retrieval/pinecone-vector-store';
import { PROJECT_ROOT } from '../../lib/project-root';
import { closeServer, listen } from '../../local/listen';
import { closedPort } from '../support/closed-port';
import { SPINE_ONLY, startLocalChat, type LocalChat } from '../support/local-chat';

/** `npm run ingest` as people run it: the script in a child process, finding (or not finding) the local chat. */

const TSX = join(PROJECT_ROOT, 'node_modules/.bin/tsx');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ingest(args: string[], env: Record<string, string>): Promise<Run> {
  const inherited = { ...process.env };
  for (const name of ['PINECONE_INDEX_HOST', 'PINECONE_API_KEY', 'PINECONE_API_KEY_SECRET', 'PINECONE_NAMESPACE', 'PORT', 'DATA_DIR']) delete inherited[name];
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [join(PROJECT_ROOT, 'scripts/ingest.ts'), ...args], { cwd: PROJECT_ROOT, env: { ...inherited, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let workDir: string;
let documents: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'ingest-command-test-'));
  documents = join(workDir, 'notes');
  mkdirSync(documents);
  writeFileSync(join(documents, 'guide.md'), '# Guide\n\nThe lighthouse keeper rings the bell at noon.\n');
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('without a local chat', () => {
  it('says plainly that none runs on the port and how to fix it, exit status 2', async () => {
    const port = await closedPort();
    const emptyDataDir = mkdtempSync(join(workDir, 'data-'));

    const run = await ingest([documents], { PORT: String(port), DATA_DIR: emptyDataDir });

    expect(run.stderr).toBe(`No local chat on port ${port}; start it with npm start or set PINECONE_INDEX_HOST.\n`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });

  it('says so when something other than the chat answers on the port', async () => {
    const other: Server = createServer((_request, response) => response.writeHead(404).end('Not here'));
    const port = await listen(other);

    const run = await ingest([documents], { PORT: String(port), DATA_DIR: mkdtempSync(join(workDir, 'data-')) });
    await closeServer(other);

    expect(run.stderr).toBe(`Port ${port} answers, but not as a local chat; start the chat with npm start or set PINECONE_INDEX_HOST.\n`);
    expect(run.code).toBe(2);
  });
});

describe('with a local chat on a port of its own', () => {
  let chat: LocalChat;

  beforeAll(async () => {
    chat = await startLocalChat(SPINE_ONLY);
  });

  afterAll(async () => {
    await chat.dispose();
  });

  async function storedSources(): Promise<string[]> {
    const store = new PineconeVectorStore({ index: openPineconeIndex({ apiKey: 'local', host: `http://127.0.0.1:${chat.port}/pinecone` }) });
    return (await store.listIds('')).map((id) => id.replace(/#[0-9a-f]{16}$/, ''));
  }

  it('finds it from its data folder alone (no PORT) and loads the documents into its index', async () => {
    const run = await ingest([documents], { DATA_DIR: chat.dataDir });

    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`No PINECONE_INDEX_HOST: loading into the local chat's index at http://127.0.0.1:${chat.port}/pinecone.\n`);
    expect(run.stdout).toContain('Done: 1 file (1 added, 0 updated, 0 unchanged, 0 skipped)');
    expect(run.code).toBe(0);
    expect((await storedSources()).filter((source) => source.endsWith('notes/guide.md'))).toHaveLength(1);
  });

  it('finds it by PORT too, whatever the data folder', async () => {
    const run = await ingest([documents], { PORT: String(chat.port), DATA_DIR: mkdtempSync(join(workDir, 'data-')) });

    expect(run.stdout).toContain(`loading into the local chat's index at http://127.0.0.1:${chat.port}/pinecone.\n`);
    expect(run.stdout).toContain('Done: 1 file (0 added, 0 updated, 1 unchanged, 0 skipped)');
    expect(run.code).toBe(0);
  });
});

describe('a fresh start on the same data folder', () => {
  it('empties the local index too: what was ingested is gone, the sample knowledge base is back', async () => {
    const dataDir = mkdtempSync(join(workDir, 'fresh-'));
    const sources = async (chat: LocalChat) => {
      const store = new PineconeVectorStore({ index: openPineconeIndex({ apiKey: 'local', host: `http://127.0.0.1:${chat.port}/pinecone` }) });
      return (await store.listIds('')).map((id) => id.replace(/#[0-9a-f]{16}$/, ''));
    };
    const first = await startLocalChat({ ...SPINE_ONLY, dataDir });
    try {
      expect((await ingest([documents], { DATA_DIR: dataDir })).code).toBe(0);
      expect((await sources(first)).filter((source) => source.endsWith('notes/guide.md'))).toHaveLength(1);
    } finally {
      await first.dispose();
    }
    const again = await startLocalChat({ ...SPINE_ONLY, dataDir, fresh: true });
    try {
      const after = await sources(again);
      expect(after.filter((source) => source.endsWith('notes/guide.md'))).toStrictEqual([]);
      expect(after.some((source) => source.startsWith('knowledge/'))).toBe(true);
    } finally {
      await again.dispose();
    }
  });
});
