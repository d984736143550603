/**
 * Turns an HTML page into Markdown-shaped text for chunking: headings become `#` headings, `<pre>` becomes fenced code,
 * list items `- ` lines, table rows `| a | b |` lines, paragraphs and line breaks blank lines and newlines. Scripts,
 * styles, templates, SVG, comments and the `<head>` are dropped; entities are decoded. Not a full HTML parser: enough
 * for documentation pages.
 */
export function htmlToMarkdown(html: string): { title?: string; markdown: string } {
  const titleMatch = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  const title = titleMatch ? decodeEntities(stripTags(titleMatch[1] as string)).replace(/\s+/g, ' ').trim() : '';

  let body = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<![^>]*>|<\?[\s\S]*?\?>/g, ' ')
    .replace(/<(script|style|noscript|template|svg|iframe|head)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ');

  const codeBlocks: string[] = [];
  body = body.replace(/<pre\b([^>]*)>([\s\S]*?)<\/pre\s*>/gi, (_match, attributes: string, inner: string) => {
    const language = /language-([\w+-]+)/.exec(`${attributes} ${inner.slice(0, 200)}`)?.[1] ?? '';
    const code = decodeEntities(stripTags(inner.replace(/<br\s*\/?>/gi, '\n'))).replace(/^\n+|\s+$/g, '');
    codeBlocks.push(`\`\`\`${language}\n${code}\n\`\`\``);
    return `<p>\u0000${codeBlocks.length - 1}\u0000</p>`;
  });

  body = body
    .replace(/[ \t\r\n\f]+/g, ' ')
    .replace(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi, (_match, level: string, inner: string) => {
      return `\n\n${'#'.repeat(Number(level))} ${stripTags(inner).trim()}\n\n`;
    })
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/li\s*>/gi, '')
    .replace(/<tr\b[^>]*>/gi, '\n|')
    .replace(/<\/t[dh]\s*>/gi, ' |')
    .replace(/<t[dh]\b[^>]*>/gi, ' ')
    .replace(/<\/tr\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|div|section|article|main|header|footer|nav|aside|blockquote|ul|ol|table|thead|tbody|tfoot|dl|dt|dd|figure|figcaption|hr|body|html|details|summary)\b[^>]*>/gi, '\n\n');

  const markdown = decodeEntities(stripTags(body))
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\u0000(\d+)\u0000/g, (_match, index: string) => codeBlocks[Number(index)] ?? '')
    .trim();
  return title ? { title, markdown } : { markdown };
}

function stripTags(html: string): string {
  return html.replace(/<\/?[a-zA-Z][^>]*>/g, '');
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '\u2014', ndash: '\u2013', hellip: '\u2026',
  copy: '\u00a9', reg: '\u00ae', trade: '\u2122', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d',
  laquo: '\u00ab', raquo: '\u00bb', middot: '\u00b7', bull: '\u2022', times: '\u00d7', rarr: '\u2192', larr: '\u2190',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
    if (entity[0] === '#') {
      const codePoint = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : match;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? match;
  });
}
