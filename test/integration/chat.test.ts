import { ChatClient, presence, userMessage, type Frame } from '../support/chat-client';
import { SPINE_ONLY, startLocalChat, type LocalChat } from '../support/local-chat';

let chat: LocalChat;
const clients: ChatClient[] = [];

beforeAll(async () => {
  // The ordering test sends 20 messages back to back, each as soon as the previous one is echoed: a burst that the
  // default admission (10, then 5 a second) would cut short on a fast machine. Admission has its own tests.
  chat = await startLocalChat({ settings: { ...SPINE_ONLY.settings, messageBurst: '20' } });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await chat.dispose();
});

async function join(room?: string, name?: string, path?: string) {
  const joined = await ChatClient.join(chat.webSocketUrl, { room, name, path });
  clients.push(joined.client);
  return joined;
}

describe('join', () => {
  it('welcomes the sender with who they are, the room, who is online and an empty history', async () => {
    const { welcome } = await join('welcome-room', 'Ann');

    expect(welcome).toStrictEqual({
      type: 'welcome',
      you: { id: expect.stringMatching(/^u-[\w-]{16}$/), name: 'Ann' },
      room: 'welcome-room',
      online: 1,
      members: [welcome.you],
      history: [],
      bot: { name: 'bot', replies: 'addressed' },
      hasMore: false,
    });
  });

  it('lists everyone already online by id and name', async () => {
    const { welcome: ann } = await join('members-room', 'Ann');
    const { welcome: bob } = await join('members-room', 'Bob');

    expect(bob.online).toBe(2);
    expect(bob.members).toHaveLength(2);
    expect(bob.members).toStrictEqual(expect.arrayContaining([ann.you, bob.you]));
  });

  it('gives a friendly random name to someone who chose none, in the lobby by default', async () => {
    const { welcome } = await join();

    expect(welcome.room).toBe('lobby');
    expect((welcome.you as { name: string }).name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
  });

  it('accepts the API Gateway stage path', async () => {
    const { welcome } = await join('stage-room', 'Sam', '/prod');

    expect(welcome.room).toBe('stage-room');
  });
});

describe('sendMessage', () => {
  it('reaches everyone in the room, the sender included, with the clientMsgId echoed', async () => {
    const { client: ann, welcome } = await join('broadcast', 'Ann');
    const { client: bob } = await join('broadcast', 'Bob');

    ann.send({ action: 'sendMessage', text: 'hello room', clientMsgId: 'c-1' });
    const [atAnn, atBob] = await Promise.all([ann.next(userMessage('hello room')), bob.next(userMessage('hello room'))]);

    expect(atAnn).toStrictEqual({
      type: 'user',
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      room: 'broadcast',
      author: welcome.you,
      text: 'hello room',
      ts: expect.any(Number),
      clientMsgId: 'c-1',
    });
    expect(atBob).toStrictEqual(atAnn);
  });

  it('never reaches another room', async () => {
    const { client: inside } = await join('room-a', 'Ann');
    const { client: outside } = await join('room-b', 'Bob');

    inside.send({ action: 'sendMessage', text: 'only for room a' });
    await inside.next(userMessage('only for room a'));
    // One shard carries both rooms in order: once the later barrier arrives, the earlier message has been delivered.
    outside.send({ action: 'sendMessage', text: 'barrier' });
    await outside.next(userMessage('barrier'));

    expect(outside.ofType('user').map((frame) => frame.text)).toStrictEqual(['barrier']);
  });

  it('delivers a room\'s messages to everyone in the order they were sent', async () => {
    const { client: ann } = await join('ordered', 'Ann');
    const { client: bob } = await join('ordered', 'Bob');
    const texts = Array.from({ length: 20 }, (_, i) => `message ${i}`);

    for (const text of texts) {
      ann.send({ action: 'sendMessage', text });
      await ann.next(userMessage(text));
    }
    await bob.next(userMessage('message 19'));

    expect(bob.ofType('user').map((frame) => frame.text)).toStrictEqual(texts);
  });
});

describe('typing', () => {
  it('sends the whole draft to everyone else, not back to the typist', async () => {
    const { client: ann, welcome } = await join('drafts', 'Ann');
    const { client: bob } = await join('drafts', 'Bob');

    ann.send({ action: 'typing', text: 'how do I dep' });
    const draft = await bob.next((frame) => frame.type === 'typing');
    ann.send({ action: 'typing', text: '' });
    const stopped = await bob.next((frame) => frame.type === 'typing' && frame.text === '');
    ann.send({ action: 'sendMessage', text: 'barrier' });
    await ann.next(userMessage('barrier'));

    expect(draft).toStrictEqual({ type: 'typing', room: 'drafts', author: welcome.you, text: 'how do I dep', ts: expect.any(Number) });
    expect(stopped.text).toBe('');
    expect(ann.ofType('typing')).toStrictEqual([]);
  });
});

describe('presence', () => {
  it('announces arrivals and departures to the others as presence frames with the online count', async () => {
    const { client: ann } = await join('presence', 'Ann');
    const { client: bob, welcome } = await join('presence', 'Bob');

    const joined = await ann.next(presence('joined', 'Bob'));
    await bob.close();
    clients.splice(clients.indexOf(bob), 1);
    const left = await ann.next(presence('left', 'Bob'));

    expect(joined).toStrictEqual({ type: 'presence', room: 'presence', joined: [welcome.you], left: [], online: 2 });
    expect(left).toStrictEqual({ type: 'presence', room: 'presence', joined: [], left: [welcome.you], online: 1 });
    expect(bob.frames.filter(presence('joined', 'Bob'))).toStrictEqual([]);
    expect(ann.ofType('system')).toStrictEqual([]);
  });
});

describe('history', () => {
  it('is in the welcome of whoever joins later, oldest first', async () => {
    const { client: ann } = await join('history-welcome', 'Ann');
    for (const text of ['one', 'two', 'three']) {
      ann.send({ action: 'sendMessage', text });
      await ann.next(userMessage(text));
    }

    const { welcome } = await join('history-welcome', 'Bob');

    expect((welcome.history as Frame[]).map((message) => message.text)).toStrictEqual(['one', 'two', 'three']);
  });

  it('pages backwards with before and limit, and gives the cursor of the older page while there is one', async () => {
    const { client: ann } = await join('history-pages', 'Ann');
    const sent: Frame[] = [];
    for (let i = 1; i <= 7; i += 1) {
      ann.send({ action: 'sendMessage', text: `m${i}` });
      sent.push(await ann.next(userMessage(`m${i}`)));
    }

    ann.send({ action: 'history', limit: 3 });
    const newest = await ann.next((frame) => frame.type === 'history');
    ann.send({ action: 'history', before: newest.cursor, limit: 3 });
    const older = await ann.next((frame) => frame.type === 'history' && frame !== newest);
    ann.send({ action: 'history', before: older.cursor, limit: 3 });
    const oldest = await ann.next((frame) => frame.type === 'history' && frame !== newest && frame !== older);

    expect(newest).toStrictEqual({ type: 'history', room: 'history-pages', messages: sent.slice(4, 7), hasMore: true, cursor: sent[4]?.id });
    expect(older).toStrictEqual({ type: 'history', room: 'history-pages', messages: sent.slice(1, 4), hasMore: true, cursor: sent[1]?.id });
    expect(oldest).toStrictEqual({ type: 'history', room: 'history-pages', messages: sent.slice(0, 1), hasMore: false });
  });
});
