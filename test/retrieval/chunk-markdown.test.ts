import { chunkDocument } from '../../ingest/chunk-document';
import { chunkMarkdown } from '../../ingest/chunk-markdown';
import { CHUNKING_DEFAULTS } from '../../ingest/constants';
import { decodeDocument } from '../../ingest/decode-document';

const SOURCE = 'knowledge/guide.md';

function sentences(count: number): string {
  return Array.from({ length: count }, (_, index) => `Sentence number ${index + 1} says something about the chat.`).join(' ');
}

describe('chunkMarkdown', () => {
  it('keeps the heading path, title, position and source of every passage', () => {
    // Prepare
    const text = [
      '---', 'title: The guide', '---',
      'Intro paragraph.', '',
      '## Setup', '', 'Install it:', '', '```sh', 'npm ci', '```', '',
      '- one', '- two', '  continued', '',
      '### Deep', '', 'Text under deep.', '',
      '## Use', '', 'Run it.',
    ].join('\n');

    // Act
    const chunks = chunkMarkdown({ source: SOURCE, text });

    // Assess
    expect(chunks.map(({ title, headingPath, position, text: body, source }) => ({ title, headingPath, position, body, source }))).toStrictEqual([
      { title: 'The guide', headingPath: [], position: 0, body: 'Intro paragraph.', source: SOURCE },
      { title: 'The guide', headingPath: ['Setup'], position: 1, body: 'Install it:\n\n```sh\nnpm ci\n```\n\n- one\n- two\n  continued', source: SOURCE },
      { title: 'The guide', headingPath: ['Setup', 'Deep'], position: 2, body: 'Text under deep.', source: SOURCE },
      { title: 'The guide', headingPath: ['Use'], position: 3, body: 'Run it.', source: SOURCE },
    ]);
    for (const chunk of chunks) expect(chunk.id).toMatch(/^knowledge\/guide\.md#[0-9a-f]{16}$/);
  });

  it('takes the title from the first level-1 heading, else the file name, and cleans inline Markdown from headings', () => {
    // Act
    const withHeading = chunkMarkdown({ source: SOURCE, text: '# The **real** `title`\n\nBody.\n\nSetext\n------\n\nMore.' });
    const withoutHeading = chunkMarkdown({ source: 'notes/run-locally.md', text: 'Just text.' });

    // Assess
    expect(withHeading.map((chunk) => [chunk.title, chunk.headingPath, chunk.text])).toStrictEqual([
      ['The real title', ['The real title'], 'Body.'],
      ['The real title', ['The real title', 'Setext'], 'More.'],
    ]);
    expect(withoutHeading.map((chunk) => [chunk.title, chunk.headingPath])).toStrictEqual([['run-locally', []]]);
  });

  it('splits a huge paragraph by sentences, never over the hard maximum, with a small overlap', () => {
    // Prepare
    const paragraph = sentences(120); // about 6,000 characters

    // Act
    const chunks = chunkMarkdown({ source: SOURCE, text: `# Big\n\n${paragraph}` });

    // Assess
    expect(chunks.length).toBeGreaterThanOrEqual(7);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(CHUNKING_DEFAULTS.maxChars);
      expect(chunk.text).toMatch(/^Sentence number \d+ says something about the chat\./);
      expect(chunk.text).toMatch(/about the chat\.$/);
    }
    // Every sentence is somewhere, in order; each passage after the first starts with the end of the one before.
    const numbers = chunks.flatMap((chunk) => [...chunk.text.matchAll(/number (\d+)/g)].map((match) => Number(match[1])));
    expect([...new Set(numbers)]).toStrictEqual(Array.from({ length: 120 }, (_, index) => index + 1));
    for (let index = 1; index < chunks.length; index += 1) {
      const previous = chunks[index - 1]?.text ?? '';
      const overlap = (chunks[index]?.text ?? '').split('\n\n')[0] ?? '';
      expect(overlap.length).toBeGreaterThan(0);
      expect(overlap.length).toBeLessThanOrEqual(CHUNKING_DEFAULTS.overlapChars);
      expect(previous.endsWith(overlap)).toBe(true);
    }
  });

  it('cuts a "word" longer than the limit (a blob with no spaces) into pieces of at most the hard maximum', () => {
    // Prepare
    const blob = 'x'.repeat(3000);

    // Act
    const chunks = chunkMarkdown({ source: SOURCE, text: blob }, { targetChars: 800, maxChars: 1200, overlapChars: 0 });

    // Assess
    expect(chunks.map((chunk) => chunk.text.length)).toStrictEqual([800, 800, 800, 600]);
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(blob);
  });

  it('keeps a code block whole when it fits under the hard maximum, even past the target, with its lead-in', () => {
    // Prepare
    const code = ['```ts', ...Array.from({ length: 30 }, (_, index) => `const value${index} = compute(${index}); // line`), '```'].join('\n');
    expect(code.length).toBeGreaterThan(CHUNKING_DEFAULTS.targetChars);
    expect(code.length).toBeLessThanOrEqual(CHUNKING_DEFAULTS.maxChars);

    // Act
    const chunks = chunkMarkdown({ source: SOURCE, text: `## Code\n\nThe example:\n\n${code}\n\nAfter the code.` });

    // Assess
    expect(chunks.map((chunk) => chunk.text)).toStrictEqual([`The example:\n\n${code}`, 'After the code.']);
  });

  it('cuts a code block over the hard maximum by lines, fencing every piece again', () => {
    // Prepare
    const lines = Array.from({ length: 120 }, (_, index) => `echo "step ${index}"`);
    const code = ['```bash', ...lines, '```'].join('\n');

    // Act
    const chunks = chunkMarkdown({ source: SOURCE, text: code });

    // Assess
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(CHUNKING_DEFAULTS.maxChars);
      expect(chunk.text.startsWith('```bash\n')).toBe(true);
      expect(chunk.text.endsWith('\n```')).toBe(true);
    }
    expect(chunks.flatMap((chunk) => chunk.text.split('\n').slice(1, -1))).toStrictEqual(lines);
  });

  it('does not read headings or lists inside a fenced code block', () => {
    // Act
    const chunks = chunkMarkdown({ source: SOURCE, text: '# Title\n\n~~~\n# not a heading\n- not a list\n~~~\n' });

    // Assess
    expect(chunks.map((chunk) => [chunk.headingPath, chunk.text])).toStrictEqual([[['Title'], '~~~\n# not a heading\n- not a list\n~~~']]);
  });

  it('cuts a long table by rows, repeating its header', () => {
    // Prepare
    const header = '| key | meaning |\n|---|---|';
    const rows = Array.from({ length: 60 }, (_, index) => `| setting${index} | what setting ${index} does, in a few words |`);

    // Act
    const chunks = chunkMarkdown({ source: SOURCE, text: `${header}\n${rows.join('\n')}` });

    // Assess
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.text.startsWith(`${header}\n| setting`)).toBe(true);
      expect(chunk.text.length).toBeLessThanOrEqual(CHUNKING_DEFAULTS.maxChars);
    }
    expect(chunks.flatMap((chunk) => chunk.text.split('\n').slice(2))).toStrictEqual(rows);
  });

  it('gives an empty or blank file no chunks', () => {
    // Act and assess
    expect(chunkMarkdown({ source: SOURCE, text: '' })).toStrictEqual([]);
    expect(chunkMarkdown({ source: SOURCE, text: ' \n\n\t\n' })).toStrictEqual([]);
    expect(chunkMarkdown({ source: SOURCE, text: '# Only a heading\n\n<!-- and a comment -->\n' })).toStrictEqual([]);
  });

  it('gives the same chunks and ids for Windows line endings as for Unix ones (after decoding)', () => {
    // Prepare
    const unix = '# Title\n\nFirst paragraph\nwrapped.\n\n```\ncode\n```\n';
    const windows = Buffer.from(unix.replace(/\n/g, '\r\n'));

    // Act
    const fromWindows = chunkMarkdown({ source: SOURCE, text: decodeDocument(windows, SOURCE) });
    const fromUnix = chunkMarkdown({ source: SOURCE, text: unix });

    // Assess
    expect(fromWindows).toStrictEqual(fromUnix);
    expect(fromWindows.map((chunk) => chunk.text)).toStrictEqual(['First paragraph\nwrapped.\n\n```\ncode\n```']);
  });

  it('derives ids from source, salt and content: stable across runs, changed only where the content changed', () => {
    // Prepare
    const before = `# T\n\n## A\n\n${sentences(3)}\n\n## B\n\nOld text.`;
    const after = `# T\n\n## A\n\n${sentences(3)}\n\n## B\n\nNew text.`;

    // Act
    const first = chunkMarkdown({ source: SOURCE, text: before });
    const again = chunkMarkdown({ source: SOURCE, text: before });
    const changed = chunkMarkdown({ source: SOURCE, text: after });
    const elsewhere = chunkMarkdown({ source: 'other.md', text: before });
    const salted = chunkMarkdown({ source: SOURCE, text: before }, { idSalt: 'another-embedder/1024' });

    // Assess
    expect(again.map((chunk) => chunk.id)).toStrictEqual(first.map((chunk) => chunk.id));
    expect(changed[0]?.id).toBe(first[0]?.id);
    expect(changed[1]?.id).not.toBe(first[1]?.id);
    expect(elsewhere.map((chunk) => chunk.id.replace(/#.*/, ''))).toStrictEqual(['other.md', 'other.md']);
    expect(salted.map((chunk) => chunk.id)).not.toStrictEqual(first.map((chunk) => chunk.id));
  });

  it('percent-encodes sources beyond printable ASCII in ids (Pinecone ids are ASCII)', () => {
    // Act
    const [chunk] = chunkMarkdown({ source: 'notes/café 100%.md', text: 'Text.' });

    // Assess
    expect(chunk?.id).toMatch(/^notes\/caf%C3%A9 100%25\.md#[0-9a-f]{16}$/);
    expect(chunk?.source).toBe('notes/café 100%.md');
  });

  it('rejects contradictory sizes with a TypeError naming them', () => {
    // Act and assess
    expect(() => chunkMarkdown({ source: SOURCE, text: 'x' }, { targetChars: 2000, maxChars: 1000 })).toThrow(
      new TypeError('Chunking option targetChars (2000) must be between 1 and maxChars (1000)'),
    );
    expect(() => chunkMarkdown({ source: SOURCE, text: 'x' }, { overlapChars: 800 })).toThrow(
      new TypeError('Chunking option overlapChars (800) must be less than targetChars (800)'),
    );
  });

  it('refuses a file type it cannot chunk', () => {
    // Act and assess
    expect(() => chunkDocument({ source: 'picture.png', text: '' })).toThrow('picture.png: not a Markdown, text or HTML file');
  });
});
