import { chunkDocument } from '../../ingest/chunk-document';
import { chunkHtml } from '../../ingest/chunk-html';
import { chunkText } from '../../ingest/chunk-text';

function view(chunks: ReturnType<typeof chunkText>): { title: string; headingPath: string[]; text: string }[] {
  return chunks.map(({ title, headingPath, text }) => ({ title, headingPath, text }));
}

describe('chunkText', () => {
  it('chunks plain text by paragraphs, with a short first line as the title', () => {
    // Prepare
    const text = 'Meeting notes\n\nWe deploy on Fridays.\nNever on Mondays.\n\n   \n\nThe bot answers in rooms.';

    // Act
    const chunks = chunkText({ source: 'notes.txt', text });

    // Assess
    expect(view(chunks)).toStrictEqual([
      { title: 'Meeting notes', headingPath: ['Meeting notes'], text: 'We deploy on Fridays.\nNever on Mondays.\n\nThe bot answers in rooms.' },
    ]);
  });

  it('uses the file name as the title when the first line is a sentence', () => {
    // Act
    const chunks = chunkText({ source: 'docs/faq.txt', text: 'This is a sentence.\n\nAnother one.' });

    // Assess
    expect(view(chunks)).toStrictEqual([{ title: 'faq', headingPath: [], text: 'This is a sentence.\n\nAnother one.' }]);
  });
});

describe('chunkHtml', () => {
  it('keeps the text, headings, lists, tables and code of a page, without scripts, styles or markup', () => {
    // Prepare
    const html = `<!doctype html><html><head><title>Deploy &amp; run</title><style>h1 { color: red }</style>
      <script>var secret = "do not index";</script></head>
      <body><nav><!-- menu --></nav>
      <h1>Deploying</h1><p>Run   the <b>commands</b>&nbsp;below.</p>
      <pre><code class="language-sh">npx cdk bootstrap
npx cdk deploy &amp;&amp; echo done</code></pre>
      <h2>Outputs</h2><ul><li>WebSocketUrl</li><li>ManagementApiUrl</li></ul>
      <table><tr><th>key</th><th>value</th></tr><tr><td>stage</td><td>prod</td></tr></table>
      <script type="module">alert("no")</script></body></html>`;

    // Act
    const chunks = chunkHtml({ source: 'https://example.com/docs/deploy.html', text: html });

    // Assess
    expect(view(chunks)).toStrictEqual([
      {
        title: 'Deploy & run',
        headingPath: ['Deploying'],
        text: 'Run the commands below.\n\n```sh\nnpx cdk bootstrap\nnpx cdk deploy && echo done\n```',
      },
      {
        title: 'Deploy & run',
        headingPath: ['Deploying', 'Outputs'],
        text: '- WebSocketUrl\n- ManagementApiUrl\n\n| key | value |\n| stage | prod |',
      },
    ]);
  });

  it('is chosen by the .html and .htm extensions, and an empty page has no chunks', () => {
    // Act and assess
    expect(chunkDocument({ source: 'page.htm', text: '<html><body><p>Hi there.</p></body></html>' }).map((chunk) => chunk.text)).toStrictEqual(['Hi there.']);
    expect(chunkDocument({ source: 'empty.html', text: '<html><head><script>x()</script></head><body></body></html>' })).toStrictEqual([]);
  });
});
