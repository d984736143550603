// What a person sees of the bot's answers (issue 11), on a desktop (light) and on a 390x844 phone (dark): citations that are links
// while the answer streams, Stop for the asker only, only the cited sources (once, each opening its passage), model,
// timing and tokens behind "Details", copy buttons, plain-language failures, "thinking" that never outlives the
// budget notice, answers announced once as plain text, and no axe-core violation on the way. `ai` frames reach the
// pages through the real server path (the local @connections API, as the bot's fanout posts them); the local bot's
// budget is zero, so the only answers are the ones the test writes.
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Locator, Page } from 'playwright-core';
import { ulid } from 'ulid';
import { SPINE_ONLY, startLocalChat, type LocalChat } from '../support/local-chat';
import { axeViolations } from './axe';
import { ChatPage, launchChromium } from './chat-page';

const ROOM = 'browser-answers';
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

let chat: LocalChat;
let browser: Browser;
let management: ApiGatewayManagementApiClient;
let ann: ChatPage;
let ben: ChatPage;
let connections: { ann: string; ben: string };
/** What Ann's page sent on its WebSocket, as parsed frames. */
const annSent: { action?: string; id?: string }[] = [];

async function connectionIdOf(name: string): Promise<string> {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: chat.dynamoDb.endpoint, region: 'us-east-1', credentials }));
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: chat.dynamoDb.tableNames.connections }));
  dynamo.destroy();
  const matching = Items.filter((item) => item.name === name && item.room === ROOM);
  if (matching.length !== 1) throw new Error(`Expected one connection of ${name}, found ${matching.length}`);
  return String(matching[0].connectionId);
}

const post = (connectionId: string, frame: object) =>
  management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify(frame)) }));
const toBoth = (frame: object) => Promise.all([post(connections.ann, frame), post(connections.ben, frame)]);
const answerIn = (person: ChatPage, id: string): Locator => person.page.locator(`#messages > li.bot[data-id="${id}"]`);
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());
/** The lines the page gave its screen-reader live region. */
const announced = (page: Page) => page.$$eval('#announcer > *', (lines) => lines.map((line) => line.textContent ?? ''));

async function ask(person: ChatPage, question: string): Promise<string> {
  await person.say(question);
  return (await (await person.waitForMessage(question)).getAttribute('data-id'))!;
}

async function expectNoAxeViolations(...people: ChatPage[]): Promise<void> {
  for (const person of people) expect(await axeViolations(person.page)).toStrictEqual([]);
}

beforeAll(async () => {
  [chat, browser] = await Promise.all([startLocalChat(SPINE_ONLY), launchChromium()]);
  management = new ApiGatewayManagementApiClient({ endpoint: chat.managementApiUrl, region: 'us-east-1', credentials });
  const pageUrl = `http://127.0.0.1:${chat.port}/`;
  const beforeLoad = async (page: Page): Promise<void> => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  };
  ann = await ChatPage.open(browser, pageUrl, {
    room: ROOM,
    name: 'Ann',
    beforeLoad: async (page) => {
      await beforeLoad(page);
      page.on('websocket', (socket) => socket.on('framesent', ({ payload }) => annSent.push(JSON.parse(String(payload)) as object)));
    },
  });
  ben = await ChatPage.open(browser, pageUrl, { room: ROOM, name: 'Ben', viewport: { width: 390, height: 844 }, colorScheme: 'dark', beforeLoad });
  connections = { ann: await connectionIdOf('Ann'), ben: await connectionIdOf('Ben') };
});

afterAll(async () => {
  management?.destroy();
  await browser?.close();
  await chat?.dispose();
});

test('"thinking" never outlives the budget notice, nor shows again while the bot is declining', async () => {
  await ask(ann, '@bot are you there?');
  // The bot is over its budget (zero answers): it says so once, and no answer is coming.
  await ann.page.locator('#messages > li.notice.system', { hasText: 'The bot answers at most' }).waitFor();
  expect(await ann.page.locator('li.thinking-placeholder').count()).toBe(0);
  // The notice does not know who is online: the count stays the room's.
  expect(await ann.page.locator('#online').textContent()).toBe('2 online');

  // A second question in the same minute is declined without a notice: nothing may promise an answer.
  await ask(ann, '@bot still there?');
  expect(await ann.page.locator('li.thinking-placeholder').count()).toBe(0);
});

test('an answer to my question: citations are links while it streams, Stop for the asker only sends stopAnswer, "Stopped" keeps the text', async () => {
  const questionId = await ask(ann, '@bot how do I deploy?');
  await ben.waitForMessage('@bot how do I deploy?');
  const id = ulid();
  await toBoth({ type: 'ai', state: 'start', id, room: ROOM, replyTo: questionId, target: 'llama', model: 'llama3.1:8b', ts: Date.now() });
  await toBoth({ type: 'ai', state: 'delta', id, room: ROOM, seq: 1, text: 'Run **`npx cdk deploy`** [1], then open' });

  for (const person of [ann, ben]) {
    await answerIn(person, id).locator('.body sup > a.citation').waitFor();
    expect(await answerIn(person, id).getAttribute('class')).toContain('streaming');
    expect(await answerIn(person, id).locator('.body a.citation').textContent()).toBe('[1]');
  }
  // Ben did not ask: no Stop for him. Ann did.
  expect(await answerIn(ben, id).locator('button.stop').count()).toBe(0);
  const stop = answerIn(ann, id).getByRole('button', { name: 'Stop this answer' });
  expect(await stop.isVisible()).toBe(true);
  await expectNoAxeViolations(ann, ben);

  await stop.click();
  // This answer was written by the test, not the bot, so the room finds nothing to stop and says so: Stop goes.
  await ann.page.locator('#messages > li.notice', { hasText: 'That answer had already ended.' }).waitFor();
  expect(annSent.filter((frame) => frame.action === 'stopAnswer')).toStrictEqual([{ action: 'stopAnswer', id }]);
  expect(await answerIn(ann, id).locator('button.stop').count()).toBe(0);

  const partial = 'Run **`npx cdk deploy`** [1], then open';
  await toBoth({ type: 'ai', state: 'end', id, room: ROOM, replyTo: questionId, target: 'llama', model: 'llama3.1:8b', text: partial, firstTokenMs: 400, stopReason: 'stopped', ts: Date.now() });
  for (const person of [ann, ben]) {
    const answer = person.page.locator(`#messages > li.bot[data-id="${id}"]:not(.streaming)`);
    await answer.waitFor();
    expect(await answer.locator('.answer-note').textContent()).toBe('Stopped by Ann.');
    expect(await answer.locator('.body').innerText()).toBe('Run npx cdk deploy [1], then open');
    expect(await answer.locator('button.stop').count()).toBe(0);
    // No source came with it: [1] is no longer a link to nowhere.
    expect(await answer.locator('a.citation').count()).toBe(0);
  }
});

test('a finished answer lists only the sources it cites, once; each opens its passage; details and copy buttons', async () => {
  const questionId = await ask(ben, '@bot what does it run on?');
  const id = ulid();
  const text = [
    'It runs on **Lambda** [1] and Kinesis [3]; see [3] again.',
    '',
    '| Component | Responsibility |',
    '|---|---|',
    '| `lambdas/message/actions/send-message.ts` | checks and publishes a message |',
    '',
    // A heading that starts below the top level: the page's outline must not skip a level (axe, below).
    '### Run it',
    '',
    '```sh',
    'npm start -- --port 43600 --data-dir ./.local-data-for-this-example',
    '```',
  ].join('\n');
  await toBoth({ type: 'ai', state: 'start', id, room: ROOM, replyTo: questionId, target: 'llama', model: 'llama3.1:8b', ts: Date.now() });
  await toBoth({ type: 'ai', state: 'delta', id, room: ROOM, seq: 1, text });
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
      { id: 'a#1', title: 'Architecture', source: 'docs/architecture.md', score: 0.9, snippet: 'Handlers are **thin** Lambda functions.' },
      { id: 'b#2', title: 'Never cited', source: 'docs/other.md', score: 0.8, snippet: 'Not cited.' },
      { id: 'c#3', title: 'Streams', source: 'https://example.com/docs/streams', score: 0.7, snippet: 'One `Kinesis` shard per room.' },
    ],
    ts: Date.now(),
  });

  for (const person of [ann, ben]) {
    const answer = person.page.locator(`#messages > li.bot[data-id="${id}"]:not(.streaming)`);
    await answer.waitFor();
    // Only [1] and [3], with their own numbers, once; the model is not in the header.
    expect(await answer.locator('.sources > li summary').allInnerTexts()).toStrictEqual(['[1] Architecture', '[3] Streams']);
    expect(await answer.locator('.meta .model').count()).toBe(0);
    expect(await answer.locator('.sources .passage').first().isVisible()).toBe(false);

    // A citation opens its passage, rendered, with where it comes from.
    await answer.locator('.body a.citation', { hasText: '[3]' }).first().click();
    const third = answer.locator(`.sources > li[id="src-${id}-3"]`);
    expect(await third.locator('details').getAttribute('open')).toBe('');
    expect(await person.page.evaluate(() => document.activeElement?.textContent)).toBe('[3] Streams');
    expect(await third.locator('.passage code').textContent()).toBe('Kinesis');
    expect(await third.locator('.where').innerText()).toBe('From https://example.com/docs/streams');
    await answer.locator('.sources > li summary', { hasText: 'Architecture' }).click();
    expect(await answer.locator(`[id="src-${id}-1"] .passage strong`).textContent()).toBe('thin');
    expect(await answer.locator(`[id="src-${id}-1"] .where`).innerText()).toBe('From docs/architecture.md');

    // Model, timing and tokens only behind "Details".
    const facts = answer.locator('details.facts > p');
    expect(await facts.isVisible()).toBe(false);
    await answer.locator('details.facts > summary').click();
    expect(await facts.textContent()).toBe('llama3.1:8b (llama) · first word after 0.9 s · 1200 tokens in, 64 out');

    // Copy the answer (its Markdown) and the code block.
    await answer.getByRole('button', { name: 'Copy answer' }).click();
    await answer.locator('.answer-actions .copy[data-copied="true"]').waitFor();
    expect(await clipboard(person.page)).toBe(text);
    await answer.getByRole('button', { name: 'Copy code' }).click();
    await answer.locator('.code .copy[data-copied="true"]').waitFor();
    expect(await clipboard(person.page)).toBe('npm start -- --port 43600 --data-dir ./.local-data-for-this-example');
    // The button sits above the code, not over its (long) first line.
    const copyBox = await answer.locator('.code .copy').boundingBox();
    const codeBox = await answer.locator('.body pre').boundingBox();
    expect(copyBox && codeBox && copyBox.y + copyBox.height <= codeBox.y).toBe(true);
    // "Copied" is the click's answer, not the button's new name: it is a Copy button again a moment later.
    await answer.getByRole('button', { name: 'Copy code' }).waitFor();
    expect(await answer.locator('.code .copy').getAttribute('data-copied')).toBeNull();

    // The code block scrolls and takes focus; the table scrolls instead of breaking its headers' words.
    const pre = answer.locator('.body pre');
    await pre.focus();
    expect(await pre.evaluate((element) => element === document.activeElement)).toBe(true);
    const table = await answer.locator('.body .table').evaluate((wrapper) => ({
      focusable: (wrapper as HTMLElement).tabIndex === 0,
      headerLines: Array.from(wrapper.querySelectorAll('th')).map((th) => {
        const range = document.createRange();
        range.selectNodeContents(th);
        return new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top))).size;
      }),
    }));
    expect(table).toStrictEqual({ focusable: true, headerLines: [1, 1] });
  }
  expect(await ben.page.locator(`li[data-id="${id}"] .body .table`).evaluate((wrapper) => wrapper.scrollWidth > wrapper.clientWidth)).toBe(true);
  await expectNoAxeViolations(ann, ben);

  // Announced once, as the text a reader sees: no Markdown marks.
  for (const person of [ann, ben]) {
    const lines = (await announced(person.page)).filter((line) => line.startsWith('Bot: It runs on'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Lambda [1] and Kinesis [3]');
    expect(lines[0]).not.toMatch(/\*\*|```|\|---|###/);
  }
});

test('a failed answer keeps its partial text and says in plain words what happened, never the transport error', async () => {
  const questionId = await ask(ann, '@bot explain retries');
  const id = ulid();
  await toBoth({ type: 'ai', state: 'start', id, room: ROOM, replyTo: questionId, target: 'llama', model: 'llama3.1:8b', ts: Date.now() });
  await toBoth({ type: 'ai', state: 'delta', id, room: ROOM, seq: 1, text: 'Retries use' });
  await answerIn(ann, id).locator('button.stop').waitFor();
  await toBoth({
    type: 'ai',
    state: 'error',
    id,
    room: ROOM,
    replyTo: questionId,
    code: 'unavailable',
    message: 'connect ECONNREFUSED 10.0.0.7:11434',
    text: 'Retries use',
    ts: Date.now(),
  });
  for (const person of [ann, ben]) {
    const failed = person.page.locator(`#messages > li.bot.failed[data-id="${id}"]`);
    await failed.waitFor();
    expect(await failed.locator('.body').innerText()).toBe('Retries use');
    expect(await failed.locator('.answer-error').textContent()).toBe('The bot could not answer right now. Try again in a moment.');
    expect(await failed.locator('button.stop').count()).toBe(0);
    expect(await person.page.locator('body').innerText()).not.toContain('ECONNREFUSED');
    expect((await announced(person.page)).join('\n')).not.toContain('ECONNREFUSED');
  }
  // API Gateway's own failure body (no `type`) is transport talk too.
  await post(connections.ann, { message: 'Internal server error', connectionId: connections.ann, requestId: 'r-1' });
  await ann.page.locator('#messages > li.notice.error', { hasText: 'The room could not handle that just now' }).waitFor();
  expect(await ann.page.locator('body').innerText()).not.toContain('Internal server error');
  await expectNoAxeViolations(ann, ben);
});
