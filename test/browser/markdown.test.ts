// The page's Markdown renderer (web/src/markdown.ts), run in Chromium: what it renders, and that nothing anyone types
// or the bot writes becomes an element, attribute or link it should not.
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chat-page';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const bundle = buildSync({
    entryPoints: [join(__dirname, '../../web/src/markdown.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'markdown',
    target: 'es2022',
  });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent('<!doctype html><body></body>');
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
});

afterAll(async () => {
  await browser?.close();
});

/** Renders in the page and describes the result as a compact tree: tag(attr=value,...)[children], text as "...". */
function render(text: string, sources = 0): Promise<string> {
  return page.evaluate(
    ([input, count]) => {
      const api = (window as unknown as { markdown: typeof import('../../web/src/markdown') }).markdown;
      const fragment = api.renderMarkdown(input, { citationHref: (n) => (n >= 1 && n <= count ? `#src-${n}` : undefined) });
      const describe = (node: Node): string => {
        if (node.nodeType === Node.TEXT_NODE) return JSON.stringify(node.textContent);
        const element = node as Element;
        const attributes = Array.from(element.attributes).map((attribute) => `${attribute.name}=${attribute.value}`);
        const children = Array.from(element.childNodes).map(describe);
        return `${element.tagName.toLowerCase()}${attributes.length ? `(${attributes.join(',')})` : ''}${children.length ? `[${children.join(',')}]` : ''}`;
      };
      return Array.from(fragment.childNodes).map(describe).join(',');
    },
    [text, sources] as const,
  );
}

/** Every element and attribute the rendering produced, and its text. */
function inspect(text: string): Promise<{ tags: string[]; attributes: string[]; text: string }> {
  return page.evaluate((input) => {
    const api = (window as unknown as { markdown: typeof import('../../web/src/markdown') }).markdown;
    const holder = document.createElement('div');
    holder.append(api.renderMarkdown(input));
    const elements = Array.from(holder.querySelectorAll('*'));
    return {
      tags: [...new Set(elements.map((element) => element.tagName.toLowerCase()))],
      attributes: elements.flatMap((element) => Array.from(element.attributes).map((a) => `${a.name}=${a.value}`)),
      text: holder.textContent ?? '',
    };
  }, text);
}

const LINK = 'target=_blank,rel=noopener noreferrer nofollow ugc';

test.each([
  ['**bold**, *em*, ~~gone~~ and `co*de*`', 'p[strong["bold"],", ",em["em"],", ",del["gone"]," and ",code["co*de*"]]'],
  ['snake_case_name stays', 'p["snake_case_name stays"]'],
  ['line one\nline two', 'p["line one",br,"line two"]'],
  ['- a\n- b\n  - nested\n- c', 'ul[li["a"],li["b",ul[li["nested"]]],li["c"]]'],
  ['3. three\n4. four', 'ol(start=3)[li["three"],li["four"]]'],
  ['- [x] done\n- [ ] todo', 'ul[li(class=task)["☑ ","done"],li(class=task)["☐ ","todo"]]'],
  ['```ts\nconst a = 1 < 2;\n```', 'pre(tabindex=0)[code(class=language-ts)["const a = 1 < 2;"]]'],
  ['```\nstill streaming', 'pre(tabindex=0)[code["still streaming"]]'],
  ['# Title', 'h3["Title"]'],
  // Levels are ranked within the message, from h3 (under the page's h1 and h2), so the outline never skips one.
  ['### Title', 'h3["Title"]'],
  ['# A\n### B\n###### C', 'h3["A"],h4["B"],h5["C"]'],
  ['> quoted\n> more', 'blockquote[p["quoted",br,"more"]]'],
  ['a | b\n--|--:\n1 | 2', 'div(class=table,tabindex=0)[table[thead[tr[th["a"],th(class=align-right)["b"]]],tbody[tr[td["1"],td(class=align-right)["2"]]]]]'],
  ['---', 'hr'],
  ['see [the docs](https://example.com/a_(b)) now', `p["see ",a(href=https://example.com/a_(b),${LINK})["the docs"]," now"]`],
  ['go to https://example.com/x. Then', `p["go to ",a(href=https://example.com/x,${LINK})["https://example.com/x"],". Then"]`],
  ['<https://example.com>', `p[a(href=https://example.com/,${LINK})["https://example.com"]]`],
  ['[mail](mailto:a@example.com)', `p[a(href=mailto:a@example.com,${LINK})["mail"]]`],
  ['cited [1] and [2], not [3]', 'p["cited ",sup[a(class=citation,href=#src-1)["[1]"]]," and ",sup[a(class=citation,href=#src-2)["[2]"]],", not [3]"]'],
])('renders %j', async (input, expected) => {
  expect(await render(input, 2)).toBe(expected);
});

test.each([
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](java\tscript:alert(1))',
  '[x](  javascript:alert(1))',
  '[x](javascript&#58;alert(1))',
  '[x](data:text/html,<script>alert(1)</script>)',
  '[x](vbscript:msgbox(1))',
  '[x](/relative/path)',
  '[x](//evil.example.com)',
  '<javascript:alert(1)>',
  '![x](javascript:alert(1))',
  '[**x**](javascript:alert(1))',
  '`<img src=x onerror=alert(1)>`',
  '```html\n<img src=x onerror=alert(1)>\n```',
  '&lt;b&gt;bold&lt;/b&gt;',
])('%j becomes text, never markup or a link', async (input) => {
  const { tags, attributes, text } = await inspect(input);

  expect(tags.filter((tag) => !['p', 'br', 'code', 'pre'].includes(tag))).toStrictEqual([]);
  expect(attributes.filter((attribute) => !/^(class=language-\w+|tabindex=0)$/.test(attribute))).toStrictEqual([]);
  // Every character typed is still there, as text.
  expect(text.replace(/\s/g, '')).toContain(input.replace(/^```\w*\n|\n```$/g, '').replace(/`/g, '').replace(/\s/g, ''));
});

// No clock here (tests never time themselves): a renderer that backtracks exponentially on these never finishes
// and fails on the test timeout.
test('4000 characters of nesting or delimiters render, with no link', async () => {
  for (const input of ['>'.repeat(4000), '*'.repeat(4000), '['.repeat(2000) + ']('.repeat(1000), '- '.repeat(2000), '_a'.repeat(2000)]) {
    const { tags } = await inspect(input);
    expect(tags).not.toContain('a');
  }
});
