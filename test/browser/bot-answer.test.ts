// The bot's answers in two pages: streamed token by token with a cursor, repaired from `end`, Markdown and sources
// rendered, failures shown plainly. `ai` frames reach the pages through the real server path: posted to each page's
// connection with the real ApiGatewayManagementApiClient against the local @connections API (as the bot's fanout
// does), and, end to end, from the local bot itself.
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Locator } from 'playwright-core';
import { ulid } from 'ulid';
import { startLocalChat, type LocalChat } from '../support/local-chat';
import { ChatPage, launchChromium, screenshotPath } from './chat-page';

const ROOM = 'browser-bot';
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

let chat: LocalChat;
let browser: Browser;
let management: ApiGatewayManagementApiClient;
let dynamo: DynamoDBDocumentClient;
let ann: ChatPage;
let ben: ChatPage;
let connections: { ann: string; ben: string };

async function connectionIdOf(name: string): Promise<string> {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: chat.dynamoDb.tableNames.connections }));
  const matching = Items.filter((item) => item.name === name && item.room === ROOM);
  if (matching.length !== 1) throw new Error(`Expected one connection of ${name}, found ${matching.length}`);
  return String(matching[0].connectionId);
}

const post = (connectionId: string, frame: object) =>
  management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify(frame)) }));
const toBoth = (frame: object) => Promise.all([post(connections.ann, frame), post(connections.ben, frame)]);

const answerIn = (person: ChatPage, id: string): Locator => person.page.locator(`#messages > li[data-id="${id}"]`);

/** The answer's text as a reader sees it, once it differs from `previous`. */
async function nextState(person: ChatPage, id: string, previous: string): Promise<string> {
  const handle = await person.page.waitForFunction(
    ([answerId, before]) => {
      const body = document.querySelector<HTMLElement>(`#messages > li[data-id="${answerId}"] .body`);
      return body && body.innerText !== before ? body.innerText : undefined;
    },
    [id, previous] as const,
  );
  return (await handle.jsonValue()) as string;
}

beforeAll(async () => {
  [chat, browser] = await Promise.all([startLocalChat(), launchChromium()]);
  management = new ApiGatewayManagementApiClient({ endpoint: chat.managementApiUrl, region: 'us-east-1', credentials });
  dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: chat.dynamoDb.endpoint, region: 'us-east-1', credentials }));
  const pageUrl = `http://127.0.0.1:${chat.port}/`;
  ann = await ChatPage.open(browser, pageUrl, { room: ROOM, name: 'Ann' });
  ben = await ChatPage.open(browser, pageUrl, { room: ROOM, name: 'Ben', viewport: { width: 390, height: 844 } });
  connections = { ann: await connectionIdOf('Ann'), ben: await connectionIdOf('Ben') };
});

afterAll(async () => {
  await Promise.all([ann, ben].map((person) => person?.waitForAnswersDone().catch(() => undefined)));
  management?.destroy();
  dynamo?.destroy();
  await browser?.close();
  await chat?.dispose();
});

test('an answer streams into both pages with a cursor, misses are repaired by end, then Markdown and sources render', async () => {
  const question = 'How do I deploy the chat?';
  await ann.say(question);
  const questionId = (await (await ann.waitForMessage(question)).getAttribute('data-id'))!;
  await ben.waitForMessage(question);
  const id = ulid();
  const deltas = [
    'To deploy, use **AWS',
    ' CDK**:\n\n1. `npx cdk bootstrap`',
    '\n2. `npx cdk deploy`\n\nIt prints `PageUrl` [1]',
    ' and `WebSocketUrl` [2]. See [the guide](https://docs.aws.amazon.com/cdk/v2/guide/home.html).\n\n```sh\nnpm run synth\n```',
  ];

  await toBoth({ type: 'ai', state: 'start', id, room: ROOM, replyTo: questionId, target: 'llama', model: 'llama3.1:8b', ts: Date.now() });
  await Promise.all([ann, ben].map((person) => answerIn(person, id).locator('.thinking').waitFor()));

  const states = { ann: [] as string[], ben: [] as string[] };
  for (const [index, text] of deltas.entries()) {
    const frame = { type: 'ai', state: 'delta', id, room: ROOM, seq: index + 1, text };
    await post(connections.ann, frame);
    // At-least-once delivery: a delta may arrive twice.
    if (index === 0) await post(connections.ann, frame);
    // Ben misses the second delta, as a page that was not there for it.
    if (index !== 1) await post(connections.ben, frame);
    states.ann.push(await nextState(ann, id, states.ann.at(-1) ?? ''));
    if (index !== 1) states.ben.push(await nextState(ben, id, states.ben.at(-1) ?? ''));
    for (const person of [ann, ben]) expect(await answerIn(person, id).locator('.body .cursor').count()).toBe(1);
  }

  expect(states.ann).toHaveLength(4);
  expect(states.ann[0]).toBe('To deploy, use **AWS');
  expect(states.ann[1]).toContain('To deploy, use AWS CDK:');
  expect(states.ann[3].match(/To deploy/g)).toHaveLength(1);
  // Ben shows what he has, with the hole marked, until the end repairs it.
  expect(states.ben[1]).toContain('…');
  expect(states.ben[1]).not.toContain('bootstrap');

  const text = deltas.join('');
  await toBoth({
    type: 'ai',
    state: 'end',
    id,
    room: ROOM,
    replyTo: questionId,
    target: 'llama',
    model: 'llama3.1:8b',
    text,
    usage: { inputTokens: 1200, outputTokens: 64 },
    firstTokenMs: 850,
    stopReason: 'end_turn',
    sources: [
      { id: 'deploy#1', title: 'Deploy guide', source: 'https://example.com/docs/deploy', score: 0.91, snippet: 'npx cdk deploy prints the stack outputs' },
      { id: 'protocol#2', title: 'Wire protocol', source: 'https://example.com/docs/protocol', score: 0.82, snippet: 'Connect to the wss:// URL' },
    ],
    ts: Date.now(),
  });
  await Promise.all([ann, ben].map((person) => person.page.locator(`#messages > li[data-id="${id}"]:not(.streaming)`).waitFor()));

  const rendered = await Promise.all(
    [ann, ben].map((person) =>
      answerIn(person, id).evaluate((item) => ({
        text: (item.querySelector('.body') as HTMLElement).innerText,
        cursors: item.querySelectorAll('.cursor').length,
        bold: item.querySelector('.body strong')?.textContent,
        steps: Array.from(item.querySelectorAll('.body ol > li')).map((li) => li.textContent),
        code: item.querySelector('.body pre > code')?.textContent,
        links: Array.from(item.querySelectorAll<HTMLAnchorElement>('.body a:not(.citation)')).map((a) => [a.textContent, a.href]),
        citations: Array.from(item.querySelectorAll<HTMLAnchorElement>('.body sup > a.citation')).map((a) => [a.textContent, a.getAttribute('href')]),
        sources: Array.from(item.querySelectorAll('.sources > li')).map((li) => [
          li.id,
          li.querySelector('summary .number')?.textContent,
          li.querySelector('summary .title')?.textContent,
          li.querySelector('.where a')?.getAttribute('href'),
        ]),
        facts: item.querySelector('details.facts > p')?.textContent,
        busy: item.getAttribute('aria-busy'),
      })),
    ),
  );
  expect(rendered[0]).toStrictEqual(rendered[1]);
  expect(rendered[0]).toStrictEqual({
    text: expect.stringContaining('To deploy, use AWS CDK:'),
    cursors: 0,
    bold: 'AWS CDK',
    steps: ['npx cdk bootstrap', 'npx cdk deploy'],
    code: 'npm run synth',
    links: [['the guide', 'https://docs.aws.amazon.com/cdk/v2/guide/home.html']],
    citations: [
      ['[1]', `#src-${id}-1`],
      ['[2]', `#src-${id}-2`],
    ],
    sources: [
      [`src-${id}-1`, '[1]', 'Deploy guide', 'https://example.com/docs/deploy'],
      [`src-${id}-2`, '[2]', 'Wire protocol', 'https://example.com/docs/protocol'],
    ],
    facts: 'llama3.1:8b (llama) · first word after 0.9 s · 1200 tokens in, 64 out',
    busy: 'false',
  });
  expect(rendered[0].text).not.toContain('**');
  expect(rendered[0].text).not.toContain('…');
  await ben.page.screenshot({ path: screenshotPath('bot-answer-phone.png') });
});

test('a failed answer keeps its partial text and says plainly that it failed', async () => {
  const id = ulid();
  await toBoth({ type: 'ai', state: 'start', id, room: ROOM, replyTo: id, target: 'bedrock', model: 'amazon.nova-lite-v1:0', ts: Date.now() });
  await toBoth({ type: 'ai', state: 'delta', id, room: ROOM, seq: 1, text: 'The first half of an' });
  await Promise.all([ann, ben].map((person) => nextState(person, id, '')));
  await toBoth({
    type: 'ai',
    state: 'error',
    id,
    room: ROOM,
    replyTo: id,
    code: 'interrupted',
    message: 'The bot could not finish this answer.',
    text: 'The first half of an',
    ts: Date.now(),
  });

  for (const person of [ann, ben]) {
    const failed = person.page.locator(`#messages > li.bot.failed[data-id="${id}"]`);
    await failed.waitFor();
    expect(await failed.locator('.body').innerText()).toBe('The first half of an');
    expect(await failed.locator('.answer-error').textContent()).toBe('The bot could not finish this answer.');
    expect(await failed.locator('.cursor').count()).toBe(0);
  }
});

test('the local bot answers a question in both pages: partial states, then the same final text', async () => {
  // Record every state of every bot answer in both pages.
  for (const person of [ann, ben]) {
    await person.page.evaluate(() => {
      const states: Record<string, string[]> = {};
      (window as unknown as { answerStates: typeof states }).answerStates = states;
      new MutationObserver(() => {
        document.querySelectorAll<HTMLElement>('#messages > li.bot[data-id]').forEach((item) => {
          const text = (item.querySelector('.body') as HTMLElement).innerText;
          const seen = (states[item.dataset.id!] ??= []);
          const state = `${item.classList.contains('streaming') ? 'partial' : 'final'}:${text}`;
          if (seen.at(-1) !== state) seen.push(state);
        });
      }).observe(document.querySelector('#messages')!, { childList: true, subtree: true, characterData: true, attributes: true });
    });
  }
  const question = '@bot what does this chat run on?';
  await ben.say(question);
  const questionId = (await (await ben.waitForMessage(question)).getAttribute('data-id'))!;
  const answer = (person: ChatPage) => person.page.locator('#messages > li.bot[data-id]').last();
  await Promise.all([ann, ben].map((person) => person.waitForAnswersDone()));

  const ids = await Promise.all([ann, ben].map((person) => answer(person).getAttribute('data-id')));
  expect(ids[0]).toBe(ids[1]);
  expect(ids[0]! > questionId).toBe(true);
  const states = await Promise.all(
    [ann, ben].map((person) =>
      person.page.evaluate((id) => (window as unknown as { answerStates: Record<string, string[]> }).answerStates[id], ids[0]!),
    ),
  );
  for (const seen of states) {
    const partial = seen.filter((state) => state.startsWith('partial:') && state.length > 'partial:'.length);
    expect(partial.length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)!.startsWith('final:')).toBe(true);
  }
  expect(states[0].at(-1)).toBe(states[1].at(-1));
  expect(states[0].at(-1)!.length).toBeGreaterThan('final:'.length);
});
