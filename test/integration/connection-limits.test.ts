import { ChatClient, presence } from '../support/chat-client';
import { startLocalChat, type LocalChat } from '../support/local-chat';

// API Gateway's idle timeout and maximum connection duration, shortened so a test can watch them act: one limit per
// runtime, so the other cannot close a connection while a loaded machine delivers the frames slowly (and the leave
// frame may take up to ChatClient's wait limit through Kinesis and fanout).

describe('idle timeout', () => {
  let chat: LocalChat;
  beforeAll(async () => {
    chat = await startLocalChat({ limits: { idleTimeoutMs: 1000 } });
  });
  afterAll(async () => {
    await chat.dispose();
  });

  it('closes an idle connection with 1001 and tells the room it left', async () => {
    // The active client's keep-alive starts before anything can be slow (its welcome comes through the functions), and
    // is answered to it only: a draft would reach the idle client too, and traffic in either direction resets API
    // Gateway's idle timer. The idle client only connects (being connected is being in the room) and sends nothing.
    const active = await ChatClient.connect(chat.webSocketUrl, { room: 'idle', name: 'Awake' });
    const keepAlive = setInterval(() => active.send({ action: 'history', limit: 1 }), 100);
    active.send({ action: 'join' });
    await active.next((frame) => frame.type === 'welcome');
    const idle = await ChatClient.connect(chat.webSocketUrl, { room: 'idle', name: 'Sleepy' });

    const code = await idle.waitForClose();
    const left = await active.next(presence('left', 'Sleepy'));
    clearInterval(keepAlive);

    expect(code).toBe(1001);
    expect(left).toMatchObject({ type: 'presence', left: [{ id: expect.any(String), name: 'Sleepy' }] });
    expect(active.closeCode).toBeUndefined();
    await active.close();
  });
});

describe('maximum connection duration', () => {
  let chat: LocalChat;
  beforeAll(async () => {
    chat = await startLocalChat({ limits: { maxConnectionMs: 1500 } });
  });
  afterAll(async () => {
    await chat.dispose();
  });

  it('closes even an active connection when it reaches the maximum duration', async () => {
    const { client } = await ChatClient.join(chat.webSocketUrl, { room: 'duration' });
    const keepAlive = setInterval(() => client.send({ action: 'typing', text: '' }), 100);

    const code = await client.waitForClose();
    clearInterval(keepAlive);

    expect(code).toBe(1001);
  });
});
