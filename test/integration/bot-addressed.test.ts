import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ChatClient, HandshakeRefused, presence, userMessage, type Frame } from '../support/chat-client';
import { answerEvents, completionChunk, FakeOpenAiServer, lastMessageOf, sseData } from '../support/fake-openai-server';
import { QUICK_OFFLINE_BOT, startLocalChat, type LocalChat } from '../support/local-chat';

/**
 * Issue 11 through the local runtime with real WebSocket clients: the bot answers only when addressed (and ordinary
 * chat never even invokes it), a reply to an answer asks it again, its asker alone can stop an answer, and a name
 * already in the room gets a suffix.
 */

let llama: FakeOpenAiServer;
let chat: LocalChat;
let dynamo: DynamoDBDocumentClient;

beforeAll(async () => {
  llama = await FakeOpenAiServer.start();
  // An answer that streams its first words and then waits forever, like a long answer still being written.
  llama.route((body) => lastMessageOf(body).endsWith('write me a long essay'), {
    kind: 'sse',
    writes: [sseData(completionChunk({ role: 'assistant', content: null })), sseData(completionChunk({ content: 'Partial ' }))],
    then: 'hold',
  });
  llama.route(() => true, { kind: 'sse', writes: answerEvents(['Here ', 'you are.'], { prompt: 5, completion: 3 }) });
  chat = await startLocalChat({
    settings: {
      botTargets: 'llama',
      llamaUrl: llama.url,
      llamaModel: 'llama3.2',
      botName: 'helper',
      botAnswersPerConnectionPerMinute: '100',
      botAnswersPerRoomPerMinute: '100',
    },
  });
  dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: chat.dynamoDb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
});

afterAll(async () => {
  dynamo.destroy();
  await chat.dispose();
  await llama.close();
});

const answerTo = (question: Frame, state: string) => (frame: Frame) =>
  frame.type === 'ai' && frame.state === state && frame.replyTo === question.id;
const aiFrames = (client: ChatClient) => client.frames.filter((frame) => frame.type === 'ai');
const errorFor = (action: string) => (frame: Frame) => frame.type === 'error' && frame.action === action;

async function claimOf(questionId: unknown): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: chat.dynamoDb.tableNames.botAnswers, Key: { questionId } }));
  return Item;
}

it('answers a mention of @bot or its name, never ordinary chat, which does not even invoke the bot', async () => {
  const { client: mia, welcome } = await ChatClient.join(chat.webSocketUrl, { room: 'addressed', name: 'Mia' });
  const before = chat.invocations().bot;

  mia.send({ action: 'sendMessage', text: 'Hello everyone 👋 the bot is nice, mail me@bot.example' });
  const hello = await mia.next(userMessage('Hello everyone 👋 the bot is nice, mail me@bot.example'));
  // Records are read in stream order: once the next message is answered, the bot's event source is past `hello`.
  mia.send({ action: 'sendMessage', text: '@Helper how do I deploy?' });
  const byName = await mia.next(userMessage('@Helper how do I deploy?'));
  const byNameEnd = await mia.next(answerTo(byName, 'end'));
  const invokedForByName = chat.invocations().bot - before;
  mia.send({ action: 'sendMessage', text: 'thanks, @bot!' });
  const byBot = await mia.next(userMessage('thanks, @bot!'));
  await mia.next(answerTo(byBot, 'end'));

  expect(welcome.bot).toStrictEqual({ name: 'helper', replies: 'addressed' });
  expect(byNameEnd).toMatchObject({ state: 'end', text: 'Here you are.', target: 'llama' });
  expect(aiFrames(mia).filter((frame) => frame.replyTo === hello.id)).toStrictEqual([]);
  // Ordinary chat cost no bot invocation and no claim: the event source filter dropped its record.
  expect(invokedForByName).toBe(1);
  expect(chat.invocations().bot - before).toBe(2);
  expect(await claimOf(hello.id)).toBeUndefined();
  expect(await claimOf(byName.id)).toMatchObject({ state: 'answered', askerId: (welcome.you as Frame).id });
  // The model was asked twice; ordinary chat reaches it only as the conversation before a question.
  const asked = llama.requests.map(({ body }) => lastMessageOf(body));
  expect(asked).toHaveLength(2);
  expect(asked[0]).toMatch(/^Mia: Hello everyone.*\n\nMia: @Helper how do I deploy\?$/s);
  expect(asked[1]).toBe('Mia: thanks, @bot!');
  await mia.close();
});

it('answers a reply to one of its answers (replyTo), which history keeps; a reply to a person is ordinary chat', async () => {
  const { client: ann } = await ChatClient.join(chat.webSocketUrl, { room: 'replies', name: 'Ann' });
  const { client: ole } = await ChatClient.join(chat.webSocketUrl, { room: 'replies', name: 'Ole' });
  ann.send({ action: 'sendMessage', text: '@bot what is a shard?' });
  const question = await ann.next(userMessage('@bot what is a shard?'));
  const answer = await ole.next(answerTo(question, 'end'));
  const before = chat.invocations().bot;

  ole.send({ action: 'sendMessage', text: 'nice one Ann', replyTo: question.id });
  const toPerson = await ann.next(userMessage('nice one Ann'));
  ole.send({ action: 'sendMessage', text: 'and how many are there?', replyTo: answer.id, clientMsgId: 'c-1' });
  const followUp = await ann.next(userMessage('and how many are there?'));
  const followUpEnd = await ann.next(answerTo(followUp, 'end'));
  ann.send({ action: 'history' });
  const history = await ann.next((frame) => frame.type === 'history');

  expect(toPerson).toMatchObject({ replyTo: question.id });
  expect(followUp).toStrictEqual({
    type: 'user',
    id: expect.any(String),
    room: 'replies',
    author: { id: expect.any(String), name: 'Ole' },
    text: 'and how many are there?',
    ts: expect.any(Number),
    clientMsgId: 'c-1',
    replyTo: answer.id,
  });
  expect(followUpEnd).toMatchObject({ text: 'Here you are.' });
  expect(chat.invocations().bot - before).toBe(1);
  expect(aiFrames(ann).filter((frame) => frame.replyTo === toPerson.id)).toStrictEqual([]);
  expect((history.messages as Frame[]).map((message) => [message.type, message.text, message.replyTo])).toStrictEqual([
    ['user', '@bot what is a shard?', undefined],
    ['ai', 'Here you are.', question.id],
    ['user', 'nice one Ann', question.id],
    ['user', 'and how many are there?', answer.id],
    ['ai', 'Here you are.', followUp.id],
  ]);
  await Promise.all([ann.close(), ole.close()]);
});

it('stops an answer for its asker only: everyone sees it end "stopped" with the partial text, and history keeps it', async () => {
  const { client: asker } = await ChatClient.join(chat.webSocketUrl, { room: 'stopping', name: 'Asker' });
  const { client: other } = await ChatClient.join(chat.webSocketUrl, { room: 'stopping', name: 'Other' });
  asker.send({ action: 'sendMessage', text: '@bot write me a long essay' });
  const question = await asker.next(userMessage('@bot write me a long essay'));
  const start = await other.next(answerTo(question, 'start'));
  await other.next((frame) => frame.type === 'ai' && frame.state === 'delta' && frame.id === start.id);

  other.send({ action: 'stopAnswer', id: start.id });
  const refused = await other.next(errorFor('stopAnswer'));
  asker.send({ action: 'stopAnswer', id: start.id });
  const [endAtAsker, endAtOther] = await Promise.all([asker.next(answerTo(question, 'end')), other.next(answerTo(question, 'end'))]);
  asker.send({ action: 'stopAnswer', id: start.id });
  const tooLate = await asker.next(errorFor('stopAnswer'));
  other.send({ action: 'history' });
  const history = await other.next((frame) => frame.type === 'history');

  expect(refused).toStrictEqual({
    type: 'error',
    code: 'forbidden',
    message: 'Only the person who asked can stop this answer',
    action: 'stopAnswer',
  });
  expect(endAtAsker).toStrictEqual({
    type: 'ai',
    state: 'end',
    id: start.id,
    room: 'stopping',
    replyTo: question.id,
    target: 'llama',
    model: 'llama3.2',
    text: 'Partial ',
    firstTokenMs: expect.any(Number),
    stopReason: 'stopped',
    sources: expect.any(Array),
    ts: expect.any(Number),
  });
  expect(endAtOther).toStrictEqual(endAtAsker);
  expect(tooLate).toMatchObject({ type: 'error', code: 'not_found', action: 'stopAnswer' });
  expect(history.messages).toStrictEqual([question, endAtAsker]);
  // The model's stream was cut: its connection closed (the held response would otherwise stay open).
  const essayRequest = llama.requests.findIndex(({ body }) => lastMessageOf(body).endsWith('write me a long essay'));
  await llama.whenClosed(essayRequest);
  await Promise.all([asker.close(), other.close()]);
});

it('refuses to stop what is not a streaming answer, and a malformed id', async () => {
  const { client } = await ChatClient.join(chat.webSocketUrl, { room: 'stop-nothing', name: 'Nobody' });

  client.send({ action: 'stopAnswer', id: '01KAAAAAAAAAAAAAAAAAAAAAAA' });
  const notFound = await client.next(errorFor('stopAnswer'));
  client.send({ action: 'stopAnswer', id: 'nope' });
  const invalid = await client.next((frame) => errorFor('stopAnswer')(frame) && frame !== notFound);

  expect(notFound).toMatchObject({ code: 'not_found' });
  expect(invalid).toMatchObject({ code: 'invalid', message: 'stopAnswer: id: must be a message id' });
  await client.close();
});

it('gives a name already used in the room a suffix, tells the person in welcome, and keeps the bot name for the bot', async () => {
  const { client: first } = await ChatClient.join(chat.webSocketUrl, { room: 'names', name: 'Ann' });
  const { client: second, welcome: secondWelcome } = await ChatClient.join(chat.webSocketUrl, { room: 'names', name: 'Ann' });
  const { client: third, welcome: thirdWelcome } = await ChatClient.join(chat.webSocketUrl, { room: 'names', name: 'ann' });
  const { client: elsewhere, welcome: elsewhereWelcome } = await ChatClient.join(chat.webSocketUrl, { room: 'other-names', name: 'Ann' });
  const joined = await first.next(presence('joined', 'Ann 2'));
  second.send({ action: 'sendMessage', text: 'which Ann am I?' });
  const message = await first.next(userMessage('which Ann am I?'));
  const refusal = await ChatClient.connect(chat.webSocketUrl, { room: 'names', name: 'HELPER' }).catch((error: unknown) => error);

  expect((secondWelcome.you as Frame).name).toBe('Ann 2');
  expect((thirdWelcome.you as Frame).name).toBe('ann 3');
  expect((elsewhereWelcome.you as Frame).name).toBe('Ann');
  expect(joined.joined).toContainEqual(secondWelcome.you);
  expect(message.author).toStrictEqual(secondWelcome.you);
  expect((thirdWelcome.members as Frame[]).map((member) => member.name).sort()).toStrictEqual(['Ann', 'Ann 2', 'ann 3']);
  expect(refusal).toBeInstanceOf(HandshakeRefused);
  // As on AWS, a refused handshake carries only its status: 422 is the name's (docs/protocol.md).
  expect((refusal as HandshakeRefused).status).toBe(422);
  expect((refusal as HandshakeRefused).body).toBe('');
  await Promise.all([first, second, third, elsewhere].map((client) => client.close()));
});

it('gives people asking for one name at the same instant different names, and frees a name when its holder leaves', async () => {
  const joins = await Promise.all(Array.from({ length: 5 }, () => ChatClient.join(chat.webSocketUrl, { room: 'same-instant', name: 'Kim' })));
  const names = joins.map(({ welcome }) => (welcome.you as Frame).name);
  expect([...names].sort()).toStrictEqual(['Kim', 'Kim 2', 'Kim 3', 'Kim 4', 'Kim 5']);

  const holder = joins[names.indexOf('Kim')] as (typeof joins)[number];
  const watcher = joins[names.indexOf('Kim 2')] as (typeof joins)[number];
  await holder.client.close();
  await watcher.client.next(presence('left', 'Kim'));
  const { client: newcomer, welcome } = await ChatClient.join(chat.webSocketUrl, { room: 'same-instant', name: 'kim' });
  expect((welcome.you as Frame).name).toBe('kim');
  await Promise.all([...joins.map(({ client }) => client), newcomer].map((client) => client.close()));
});

describe("a page's key: one person across connections", () => {
  const KEY = 'Zq3vT0c1xY8kP2nW5rB7aQ';
  const OTHER_KEY = 'mN4bV6cX8zL0kJ2hG4fD6s';
  const keyed = (room: string, name: string, key = KEY) => ({ room, name, query: [['key', key]] as const });

  it('keeps id and name when the same key reconnects while its old connection lingers; another key gets "Ann 2"', async () => {
    const { client: before, welcome: first } = await ChatClient.join(chat.webSocketUrl, keyed('same-key', 'Ann'));
    const { client: watcher } = await ChatClient.join(chat.webSocketUrl, { room: 'same-key', name: 'Will' });
    // A reload or a dropped network: the new connection arrives before the old one is known to be gone.
    const { client: after, welcome: again } = await ChatClient.join(chat.webSocketUrl, keyed('same-key', 'Ann'));
    const { client: stranger, welcome: strangers } = await ChatClient.join(chat.webSocketUrl, keyed('same-key', 'Ann', OTHER_KEY));
    const { client: wscat, welcome: keyless } = await ChatClient.join(chat.webSocketUrl, { room: 'same-key', name: 'Ann' });
    const { client: elsewhere, welcome: otherRoom } = await ChatClient.join(chat.webSocketUrl, keyed('same-key-2', 'Ann'));
    after.send({ action: 'sendMessage', text: 'still me' });
    const message = await watcher.next(userMessage('still me'));

    const you = first.you as Frame;
    expect(you.id).toMatch(/^u-[\w-]{16}$/);
    expect(again.you).toStrictEqual(you);
    expect(message.author).toStrictEqual(you);
    expect((strangers.you as Frame).name).toBe('Ann 2');
    expect((strangers.you as Frame).id).not.toBe(you.id);
    // Without a key (wscat) every connection is someone new, with an id of the same shape.
    expect(keyless.you).toStrictEqual({ id: expect.stringMatching(/^u-[\w-]{16}$/), name: 'Ann 3' });
    // The same key in another room is another, unrelated id: ids do not link a person across rooms.
    expect((otherRoom.you as Frame).id).not.toBe(you.id);
    expect((otherRoom.you as Frame).name).toBe('Ann');
    await Promise.all([before, watcher, after, stranger, wscat, elsewhere].map((client) => client.close()));
  });

  it('shows a rename as the same id leaving under the old name and joining under the new one', async () => {
    const { client: ann, welcome } = await ChatClient.join(chat.webSocketUrl, keyed('renames', 'Ann'));
    const { client: watcher } = await ChatClient.join(chat.webSocketUrl, { room: 'renames', name: 'Will' });
    // The page renames make-before-break: the new connection opens, then the old one closes.
    const { client: annie, welcome: renamed } = await ChatClient.join(chat.webSocketUrl, keyed('renames', 'Annie'));
    await ann.close();
    const left = await watcher.next(presence('left', 'Ann'));
    const joined = await watcher.next(presence('joined', 'Annie'));

    const id = (welcome.you as Frame).id;
    expect(renamed.you).toStrictEqual({ id, name: 'Annie' });
    expect(joined.joined).toContainEqual({ id, name: 'Annie' });
    expect(left.left).toContainEqual({ id, name: 'Ann' });
    await Promise.all([annie.close(), watcher.close()]);
  });

  it("lets the asker stop an answer from a new connection (after a reload), and still nobody else", async () => {
    const { client: asker } = await ChatClient.join(chat.webSocketUrl, keyed('stop-reload', 'Asker'));
    const { client: other } = await ChatClient.join(chat.webSocketUrl, keyed('stop-reload', 'Other', OTHER_KEY));
    asker.send({ action: 'sendMessage', text: '@bot write me a long essay' });
    const question = await other.next(userMessage('@bot write me a long essay'));
    const start = await other.next(answerTo(question, 'start'));
    await other.next((frame) => frame.type === 'ai' && frame.state === 'delta' && frame.id === start.id);
    await asker.close();

    const { client: reloaded } = await ChatClient.join(chat.webSocketUrl, keyed('stop-reload', 'Asker'));
    other.send({ action: 'stopAnswer', id: start.id });
    const refused = await other.next(errorFor('stopAnswer'));
    reloaded.send({ action: 'stopAnswer', id: start.id });
    const end = await other.next(answerTo(question, 'end'));

    expect(refused).toMatchObject({ code: 'forbidden' });
    expect(end).toMatchObject({ stopReason: 'stopped', text: 'Partial ' });
    expect(reloaded.frames.filter(errorFor('stopAnswer'))).toStrictEqual([]);
    await Promise.all([reloaded.close(), other.close()]);
  });

  it('refuses a malformed key with 406 and nothing else, and never shows, stores or logs a key', async () => {
    const refusals = await Promise.all(
      ['short', `${KEY}=`, 'a'.repeat(87), 'AAECAwQFBgcICQoLDA0O+/'].map((key) =>
        ChatClient.connect(chat.webSocketUrl, keyed('bad-keys', 'Ann', key)).catch((error: unknown) => error),
      ),
    );
    const { client, welcome } = await ChatClient.join(chat.webSocketUrl, keyed('bad-keys', 'Ann'));
    client.send({ action: 'sendMessage', text: 'hello' });
    await client.next(userMessage('hello'));
    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: chat.dynamoDb.tableNames.connections }));

    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(HandshakeRefused);
      expect((refusal as HandshakeRefused).status).toBe(406);
      expect((refusal as HandshakeRefused).body).toBe('');
    }
    expect(Items.find((item) => item.userId === (welcome.you as Frame).id)).toBeDefined();
    expect(JSON.stringify(Items)).not.toContain(KEY);
    expect(JSON.stringify(client.messages)).not.toContain(KEY);
    expect(chat.logs.join('\n')).toContain('invalid_key');
    expect(chat.logs.join('\n')).not.toContain(KEY);
    await client.close();
  });
});

describe('with botReplies=all', () => {
  let all: LocalChat;

  beforeAll(async () => {
    all = await startLocalChat({ settings: { ...QUICK_OFFLINE_BOT, botTargets: 'offline', botReplies: 'all' } });
  });

  afterAll(async () => {
    await all.dispose();
  });

  it('answers every message', async () => {
    const { client, welcome } = await ChatClient.join(all.webSocketUrl, { room: 'chatty', name: 'Lin' });

    client.send({ action: 'sendMessage', text: 'Hello everyone' });
    const hello = await client.next(userMessage('Hello everyone'));
    const end = await client.next(answerTo(hello, 'end'));

    expect(welcome.bot).toStrictEqual({ name: 'bot', replies: 'all' });
    expect(end).toMatchObject({ target: 'offline', stopReason: 'end_turn' });
    expect(String(end.text)).not.toMatch(/LLAMA_URL|USE_BEDROCK|Sources:/);
    await client.close();
  });
});
