import WebSocket from 'ws';
import { ChatClient, HandshakeRefused, userMessage } from '../support/chat-client';
import { startLocalChat, type LocalChat } from '../support/local-chat';

let chat: LocalChat;

beforeAll(async () => {
  // One sender sends fourteen messages back to back here: past the default burst (10, then 5/s) on a fast machine, which
  // this file is not about (test/lambdas/rate-limiter.test.ts and hostile-input.test.ts are).
  chat = await startLocalChat({ settings: { allowedOrigins: 'https://chat.example.com', messageRatePerSecond: '1000', messageBurst: '10000' } });
});

afterAll(async () => {
  await chat.dispose();
});

describe('a bad frame gets an error frame, the connection keeps working, and nobody else sees anything', () => {
  let sender: ChatClient;
  let bystander: ChatClient;

  beforeAll(async () => {
    sender = (await ChatClient.join(chat.webSocketUrl, { room: 'bad-input', name: 'Mallory' })).client;
    bystander = (await ChatClient.join(chat.webSocketUrl, { room: 'bad-input', name: 'Bob' })).client;
  });

  afterAll(async () => {
    await Promise.all([sender.close(), bystander.close()]);
  });

  const cases: [string, string | Buffer, { code: string; action?: string; clientMsgId?: string }][] = [
    ['not JSON', 'hello?', { code: 'bad_json' }],
    ['a JSON array', '[1,2]', { code: 'invalid' }],
    ['no action', '{"text":"hi"}', { code: 'unknown_action' }],
    ['an unknown action', '{"action":"shout","text":"hi"}', { code: 'unknown_action' }],
    ['a wrong-typed text', '{"action":"sendMessage","text":42}', { code: 'invalid', action: 'sendMessage' }],
    ['a missing text', '{"action":"sendMessage"}', { code: 'invalid', action: 'sendMessage' }],
    ['an empty text', '{"action":"sendMessage","text":""}', { code: 'invalid', action: 'sendMessage' }],
    ['a blank text', '{"action":"sendMessage","text":"   ","clientMsgId":"c-9"}', { code: 'invalid', action: 'sendMessage', clientMsgId: 'c-9' }],
    ['a text over 4000 characters', JSON.stringify({ action: 'sendMessage', text: 'x'.repeat(4001), clientMsgId: 'c-10' }), { code: 'too_long', action: 'sendMessage', clientMsgId: 'c-10' }],
    ['a draft over 4000 characters', JSON.stringify({ action: 'typing', text: 'é'.repeat(4001) }), { code: 'too_long', action: 'typing' }],
    ['a history limit out of range', '{"action":"history","limit":101}', { code: 'invalid', action: 'history' }],
    ['a history cursor that is not an id', '{"action":"history","before":"yesterday"}', { code: 'invalid', action: 'history' }],
  ];

  it.each(cases)('%s', async (_label, raw, expected) => {
    const errorsBefore = sender.ofType('error').length;

    sender.socket.send(raw);
    const error = await sender.next((frame) => frame.type === 'error' && sender.ofType('error').indexOf(frame) === errorsBefore);
    const marker = `still works after ${_label}`;
    sender.send({ action: 'sendMessage', text: marker });
    await sender.next(userMessage(marker));
    await bystander.next(userMessage(marker));

    expect(error).toStrictEqual({ type: 'error', message: expect.any(String), ...expected });
    expect((error.message as string).length).toBeGreaterThan(10);
    expect(bystander.ofType('error')).toStrictEqual([]);
  });

  it('closes a connection that sends a binary frame with 1003, as API Gateway does, and nobody else sees anything', async () => {
    const binary = await ChatClient.connect(chat.webSocketUrl, { room: 'bad-input' });
    const seenBefore = bystander.frames.length;

    binary.socket.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const code = await binary.waitForClose();
    const marker = 'still works after a binary frame';
    sender.send({ action: 'sendMessage', text: marker });
    await bystander.next(userMessage(marker));

    expect(code).toBe(1003);
    expect(binary.frames).toStrictEqual([]);
    // Of what people send, the bystander saw the marker only (the binary sender's arrival, and the bot's answers to earlier markers, may pass too).
    const seen = bystander.frames.slice(seenBefore).filter((frame) => frame.type === 'user' || frame.type === 'error');
    expect(seen.map((frame) => frame.text)).toStrictEqual([marker]);
  });

  it('counts length in characters, so 4000 emoji are accepted', async () => {
    const text = '😀'.repeat(4000);

    sender.send({ action: 'sendMessage', text });
    const received = await bystander.next(userMessage(text));

    expect([...(received.text as string)]).toHaveLength(4000);
  });
});

describe('a bad handshake is refused with a status code that says why, and nothing else (as API Gateway does)', () => {
  it.each([
    ['a room with capitals', { room: 'Lobby' }, 400],
    ['a room that is too long', { room: 'a'.repeat(41) }, 400],
    ['a room with a slash', { room: 'a/b' }, 400],
    ['a name that is too long', { name: 'n'.repeat(33) }, 422],
    ['a name with control characters', { name: 'evil\u0007bell' }, 422],
    ['an Origin not on the allow-list', { origin: 'https://evil.example.com' }, 403],
  ])('%s', async (_label, options, status) => {
    const refused = await ChatClient.connect(chat.webSocketUrl, options).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(HandshakeRefused);
    expect([(refused as HandshakeRefused).status, (refused as HandshakeRefused).body]).toStrictEqual([status, '']);
  });

  it('accepts an allowed Origin, and clients that send none', async () => {
    const browser = await ChatClient.join(chat.webSocketUrl, { origin: 'https://chat.example.com', room: 'origins' });
    const cli = await ChatClient.join(chat.webSocketUrl, { room: 'origins' });

    expect([browser.welcome.room, cli.welcome.room]).toStrictEqual(['origins', 'origins']);
    await Promise.all([browser.client.close(), cli.client.close()]);
  });

  it('refuses paths other than / and the stage', async () => {
    const refused = await ChatClient.connect(chat.webSocketUrl, { path: '/other' }).catch((error: unknown) => error);

    expect((refused as HandshakeRefused).status).toBe(404);
  });
});

describe("API Gateway's size limits", () => {
  it('closes the connection with 1009 when a single frame is over 32 KB', async () => {
    const client = await ChatClient.connect(chat.webSocketUrl, { room: 'limits' });

    client.send({ action: 'typing', text: 'x'.repeat(33 * 1024) });

    expect(await client.waitForClose()).toBe(1009);
  });

  it('accepts a 40 KB message sent as two frames, and rejects it by the protocol, not the gateway', async () => {
    const client = await ChatClient.connect(chat.webSocketUrl, { room: 'limits' });
    const payload = Buffer.from(JSON.stringify({ action: 'typing', text: 'x'.repeat(40 * 1024) }));

    client.socket.send(payload.subarray(0, 20 * 1024), { binary: false, fin: false });
    client.socket.send(payload.subarray(20 * 1024), { binary: false, fin: true });
    const error = await client.next((frame) => frame.type === 'error');

    expect(error.code).toBe('too_long');
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    await client.close();
  });

  it('closes the connection with 1009 when a message is over 128 KB, even in small frames', async () => {
    const client = await ChatClient.connect(chat.webSocketUrl, { room: 'limits' });
    const payload = Buffer.alloc(130 * 1024, 'x');

    for (let offset = 0; offset < payload.length; offset += 16 * 1024) {
      client.socket.send(payload.subarray(offset, offset + 16 * 1024), { binary: false, fin: offset + 16 * 1024 >= payload.length });
    }

    expect(await client.waitForClose()).toBe(1009);
  });
});
