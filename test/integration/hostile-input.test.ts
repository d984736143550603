// Issue 9's hostile inputs, each sent through the real local runtime by a real WebSocket client: the sender gets a
// clear refusal (a handshake refused with 422, `invalid_name`; an `invalid` error frame), or, for input that is harmless, a normal
// answer; everyone else in the room sees nothing of it.
import { API_GATEWAY_LIMITS } from '../../local/gateway/limits';
import { ChatClient, HandshakeRefused, userMessage, type Frame } from '../support/chat-client';
import { SPINE_ONLY, startLocalChat, type LocalChat } from '../support/local-chat';

let chat: LocalChat;

beforeAll(async () => {
  // Markers after every case would otherwise run into the per-connection message rate.
  chat = await startLocalChat({ settings: { ...SPINE_ONLY.settings, messageRatePerSecond: '1000', messageBurst: '10000' } });
});

afterAll(async () => {
  await chat.dispose();
});

type Outcome =
  | { readonly refused: 422 }
  | { readonly error: 'invalid'; readonly action: string; readonly message: RegExp }
  | { readonly welcomed: true };

type HostileInput =
  | { readonly handshake: [string, string][] }
  | { readonly frame: object };

const RESERVED = /reserved/;
const INVISIBLE_NAME = { refused: 422 } as const;

const CASES: [string, HostileInput, Outcome][] = [
  ['a name ending in a zero-width space', { handshake: [['name', 'Ann\u200B']] }, INVISIBLE_NAME],
  ['a name with a right-to-left mark', { handshake: [['name', 'Ann\u200F']] }, INVISIBLE_NAME],
  ['a name with an Arabic letter mark', { handshake: [['name', 'Ann\u061C']] }, INVISIBLE_NAME],
  ['a name with a Hangul filler', { handshake: [['name', 'Ann\u3164']] }, INVISIBLE_NAME],
  ['a name of a Hangul filler only', { handshake: [['name', '\u3164']] }, INVISIBLE_NAME],
  ['a name with a braille blank', { handshake: [['name', 'Ann\u2800']] }, INVISIBLE_NAME],
  ['a name with a soft hyphen', { handshake: [['name', 'An\u00ADn']] }, INVISIBLE_NAME],
  ['the name Bot', { handshake: [['name', 'Bot']] }, INVISIBLE_NAME],
  ['the name bOT', { handshake: [['name', 'bOT']] }, INVISIBLE_NAME],
  ['the name System', { handshake: [['name', 'System']] }, INVISIBLE_NAME],
  ['a full-width Ｂｏｔ', { handshake: [['name', 'Ｂｏｔ']] }, INVISIBLE_NAME],
  ['a query key __proto__', { handshake: [['__proto__', '1'], ['name', 'Proto']] }, { welcomed: true }],
  ['a query key constructor', { handshake: [['constructor', '1'], ['name', 'Ctor']] }, { welcomed: true }],
  ['query keys hasOwnProperty and toString', { handshake: [['hasOwnProperty', '1'], ['toString', '2'], ['name', 'Own']] }, { welcomed: true }],
  ['a message of one zero-width space', { frame: { action: 'sendMessage', text: '\u200B' } }, { error: 'invalid', action: 'sendMessage', message: /visible character/ }],
  ['a message of fillers and spaces', { frame: { action: 'sendMessage', text: '\u3164 \u2800\u00AD\n' } }, { error: 'invalid', action: 'sendMessage', message: /visible character/ }],
  ['a message reversed by RLO', { frame: { action: 'sendMessage', text: '\u202Etxt.exe' } }, { error: 'invalid', action: 'sendMessage', message: /bidi/ }],
  ['a message with a right-to-left isolate', { frame: { action: 'sendMessage', text: 'hi \u2067there' } }, { error: 'invalid', action: 'sendMessage', message: /bidi/ }],
  ['a draft reversed by RLO', { frame: { action: 'typing', text: '\u202Eolleh' } }, { error: 'invalid', action: 'typing', message: /bidi/ }],
];

describe('every hostile input gets its sender a clear answer and reaches nobody else', () => {
  let sender: ChatClient;
  let bystander: ChatClient;

  beforeAll(async () => {
    sender = (await ChatClient.join(chat.webSocketUrl, { room: 'hostile', name: 'Mallory' })).client;
    bystander = (await ChatClient.join(chat.webSocketUrl, { room: 'hostile', name: 'Bob' })).client;
  });

  afterAll(async () => {
    await Promise.all([sender.close(), bystander.close()]);
  });

  /**
   * What the bystander saw since `index`, but the bot's budget notice (this runtime's bot answers nobody, and says so
   * to the room once a minute, whenever that falls).
   */
  const seenSince = (index: number) =>
    bystander.frames.slice(index).filter((frame) => frame.type !== 'system').map(summary);

  it.each(CASES)('%s', async (label, input, expected) => {
    const seenBefore = bystander.frames.length;
    const errorsBefore = sender.ofType('error').length;

    let answer: unknown;
    let extra: ChatClient | undefined;
    if ('handshake' in input) {
      answer = await connectWithQuery(input.handshake).then(
        async (client) => {
          extra = client;
          client.send({ action: 'join' });
          return client.next((frame) => frame.type === 'welcome' || frame.type === 'error');
        },
        (error: unknown) => error,
      );
    } else {
      sender.send(input.frame);
      answer = await sender.next((frame) => frame.type === 'error' && sender.ofType('error').indexOf(frame) === errorsBefore);
    }
    await extra?.close();
    const arrived = (answer as Frame | undefined)?.type === 'welcome' ? ((answer as Frame).you as Frame) : undefined;
    // A newcomer's leave is put on the stream by its $disconnect, whenever that runs: wait for it, so it cannot fall
    // into the next case's window.
    if (arrived) await bystander.next((frame) => frame.type === 'presence' && (frame.left as Frame[]).some((who) => who.id === arrived.id));
    const marker = `after ${label}`;
    sender.send({ action: 'sendMessage', text: marker });
    await bystander.next(userMessage(marker));

    if ('refused' in expected) {
      expect(answer).toBeInstanceOf(HandshakeRefused);
      const refused = answer as HandshakeRefused;
      // API Gateway sends a refused handshake its status code only: 422 says the name was refused.
      expect([refused.status, refused.body]).toStrictEqual([expected.refused, '']);
      // Nobody saw the refused name arrive: between the case and the marker, the bystander saw the marker only.
      expect(seenSince(seenBefore)).toStrictEqual([`user: ${marker}`]);
    } else if ('error' in expected) {
      expect(answer).toStrictEqual({ type: 'error', code: expected.error, action: expected.action, message: expect.stringMatching(expected.message) });
      expect(seenSince(seenBefore)).toStrictEqual([`user: ${marker}`]);
    } else {
      expect((answer as Frame).type).toBe('welcome');
      // A harmless newcomer arrives and leaves like anyone else; nothing else reaches the room.
      expect(seenSince(seenBefore).filter((frame) => frame !== 'presence')).toStrictEqual([`user: ${marker}`]);
    }
  });

  it('says why, in words, for the reserved names in the connect function log (the client gets the 422 only)', async () => {
    const refused = (await connectWithQuery([['name', 'Assistant']]).catch((error: unknown) => error)) as HandshakeRefused;

    expect([refused.status, refused.body]).toStrictEqual([422, '']);
    expect(chat.logs.filter((line) => line.includes('Handshake rejected') && RESERVED.test(line))).not.toStrictEqual([]);
  });
});

describe('a flood of the largest messages cannot lock newcomers out of a room', () => {
  const FLOOD = 9;
  const big = (index: number) => `${index}${'😀'.repeat(3999)}`;
  let flooder: ChatClient;
  let sent: Frame[];

  beforeAll(async () => {
    flooder = (await ChatClient.join(chat.webSocketUrl, { room: 'flood', name: 'Flooder' })).client;
    sent = [];
    for (let i = 0; i < FLOOD; i += 1) {
      flooder.send({ action: 'sendMessage', text: big(i) });
      sent.push(await flooder.next(userMessage(big(i))));
    }
  });

  afterAll(async () => {
    await flooder.close();
  });

  it('welcomes a newcomer with the newest messages that fit one message, and a cursor to the rest', async () => {
    const { client: newcomer, welcome } = await ChatClient.join(chat.webSocketUrl, { room: 'flood', name: 'Newcomer' });
    const history = welcome.history as Frame[];

    expect(newcomer.messageBytes[newcomer.messages.indexOf(welcome)]).toBeLessThanOrEqual(API_GATEWAY_LIMITS.messageBytes);
    expect(history.length).toBeGreaterThan(0);
    expect(history.map((message) => message.id)).toStrictEqual(sent.slice(FLOOD - history.length).map((message) => message.id));
    expect([welcome.hasMore, welcome.cursor]).toStrictEqual([true, history[0]?.id]);
    await newcomer.close();
  });

  it('answers history (limit 50) by pages under 128 KB that, followed by their cursors, give every message once', async () => {
    const { client: reader } = await ChatClient.join(chat.webSocketUrl, { room: 'flood', name: 'Reader' });
    const read: Frame[] = [];
    let before: unknown;
    for (let page = 0; page < FLOOD; page += 1) {
      reader.send({ action: 'history', limit: 50, ...(before ? { before } : {}) });
      const received = reader.ofType('history').length;
      const reply = await reader.next((frame) => frame.type === 'history' && reader.ofType('history').indexOf(frame) === received);
      expect(reader.messageBytes[reader.messages.indexOf(reply)]).toBeLessThanOrEqual(API_GATEWAY_LIMITS.messageBytes);
      read.unshift(...(reply.messages as Frame[]));
      if (reply.hasMore !== true) break;
      before = reply.cursor;
    }

    expect(read.map((message) => message.id)).toStrictEqual(sent.map((message) => message.id));
    expect(reader.ofType('error')).toStrictEqual([]);
    await reader.close();
  });
});

function connectWithQuery(query: [string, string][]): Promise<ChatClient> {
  return ChatClient.connect(chat.webSocketUrl, { room: 'hostile', query });
}

function summary(frame: Frame): string {
  return frame.type === 'user' ? `user: ${String(frame.text)}` : frame.type;
}

describe('a burst of frames from one connection', () => {
  it('loses none: every frame of 100 sent at once becomes one message, though the gateway routes only a few at a time', async () => {
    const { client } = await ChatClient.join(chat.webSocketUrl, { room: 'burst', name: 'Burst' });
    const BURST = 100;
    for (let i = 0; i < BURST; i += 1) client.send({ action: 'sendMessage', text: `burst ${i}`, clientMsgId: `b-${i}` });
    const echoed = () => client.ofType('user').filter((frame) => String(frame.clientMsgId).startsWith('b-'));
    await client.next(() => echoed().length >= BURST);

    const ids = echoed().map((frame) => frame.clientMsgId);
    expect(new Set(ids).size).toBe(BURST);
    expect(ids.slice().sort()).toStrictEqual(Array.from({ length: BURST }, (_, i) => `b-${i}`).sort());
    expect(client.ofType('error')).toStrictEqual([]);
    await client.close();
  });
});
