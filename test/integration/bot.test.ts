import { ChatClient, userMessage, type Frame } from '../support/chat-client';
import { answerEvents, FakeOpenAiServer } from '../support/fake-openai-server';
import { QUICK_OFFLINE_BOT, startLocalChat, type LocalChat } from '../support/local-chat';

/** The bot end to end through the local runtime, answering with the offline target (no model, no network). */

let chat: LocalChat;

beforeAll(async () => {
  // How the answer grows is checked frame by frame, at any pace; joining mid-answer is held by a gate (below).
  chat = await startLocalChat({ settings: { ...QUICK_OFFLINE_BOT, botTargets: 'offline' } });
});

afterAll(async () => {
  await chat.dispose();
});

const aiFramesOf = (client: ChatClient, id: unknown) => client.frames.filter((frame) => frame.type === 'ai' && frame.id === id);
const answerTo = (question: Frame, state: string) => (frame: Frame) =>
  frame.type === 'ai' && frame.state === state && (state === 'delta' || frame.replyTo === question.id);

it('streams one answer to everyone in the room: the same start, deltas in order, and an end that repairs', async () => {
  const { client: mia } = await ChatClient.join(chat.webSocketUrl, { room: 'bot-room', name: 'Mia' });
  const { client: ole } = await ChatClient.join(chat.webSocketUrl, { room: 'bot-room', name: 'Ole' });
  const { client: elsewhere } = await ChatClient.join(chat.webSocketUrl, { room: 'quiet-room', name: 'Eve' });

  mia.send({ action: 'sendMessage', text: '@bot how do I deploy this?' });
  const question = await mia.next(userMessage('@bot how do I deploy this?'));
  const [endAtMia, endAtOle] = await Promise.all([mia.next(answerTo(question, 'end')), ole.next(answerTo(question, 'end'))]);
  elsewhere.send({ action: 'sendMessage', text: 'barrier' });
  await elsewhere.next(userMessage('barrier'));

  const atMia = aiFramesOf(mia, endAtMia.id);
  const deltas = atMia.filter((frame) => frame.state === 'delta');
  expect(atMia[0]).toStrictEqual({
    type: 'ai',
    state: 'start',
    id: endAtMia.id,
    room: 'bot-room',
    replyTo: question.id,
    target: 'offline',
    model: 'offline-extractive',
    ts: expect.any(Number),
  });
  expect(deltas.length).toBeGreaterThanOrEqual(2);
  // Fanout may join consecutive deltas of one batch (seq..seqEnd): the seqs still follow on without a gap.
  const lastSeqs = deltas.map((frame) => Number(frame.seqEnd ?? frame.seq));
  expect(deltas.map((frame) => frame.seq)).toStrictEqual([1, ...lastSeqs.slice(0, -1).map((seq) => seq + 1)]);
  expect(deltas.map((frame) => frame.text).join('')).toBe(endAtMia.text);
  expect(atMia.at(-1)).toBe(endAtMia);
  expect(endAtMia).toMatchObject({ target: 'offline', model: 'offline-extractive', replyTo: question.id, firstTokenMs: expect.any(Number) });
  expect(String(endAtMia.text)).toMatch(/offline/i);
  // Retrieval from the sample knowledge base, ingested at start: the answer cites the deploy guide.
  const sources = endAtMia.sources as { source: string; title: string; score: number; snippet: string }[];
  expect(sources.length).toBeGreaterThanOrEqual(1);
  const deployGuide = sources.findIndex((source) => source.source === 'knowledge/deploy.md');
  expect(deployGuide).toBeGreaterThanOrEqual(0);
  expect(String(endAtMia.text)).toContain(`[${deployGuide + 1}]`);
  expect(aiFramesOf(ole, endAtMia.id)).toStrictEqual(atMia);
  expect(endAtOle).toStrictEqual(endAtMia);
  expect(elsewhere.frames.filter((frame) => frame.type === 'ai')).toStrictEqual([]);
  await Promise.all([mia.close(), ole.close(), elsewhere.close()]);
});

describe('over its budget', () => {
  let silent: LocalChat;

  beforeAll(async () => {
    // A budget of zero answers a minute: deterministic, whatever minute the test runs in (the counting itself is
    // tested in test/bot/answer-budget.test.ts with a fixed clock).
    silent = await startLocalChat({ settings: { botTargets: 'offline', botAnswersPerRoomPerMinute: '0' } });
  });

  afterAll(async () => {
    await silent.dispose();
  });

  it('tells the room once with a notice instead of answering', async () => {
    const { client } = await ChatClient.join(silent.webSocketUrl, { room: 'budget-room', name: 'Chatty' });

    client.send({ action: 'sendMessage', text: '@bot one?' });
    const notice = await client.next((frame) => frame.type === 'system' && frame.event === 'notice');
    client.send({ action: 'sendMessage', text: '@bot two?' });
    await client.next(userMessage('@bot two?'));
    // The chat keeps working and nothing more comes from the bot: a later message's delivery is the barrier.
    client.send({ action: 'sendMessage', text: '@bot three?' });
    await client.next(userMessage('@bot three?'));

    expect(notice).toStrictEqual({
      type: 'system',
      room: 'budget-room',
      event: 'notice',
      text: expect.stringContaining('at most 0 messages a minute'),
      online: 1,
    });
    expect(client.frames.filter((frame) => frame.type === 'ai')).toStrictEqual([]);
    await client.close();
  });
});

describe('one person asking in many rooms', () => {
  let shared: LocalChat;

  beforeAll(async () => {
    // Three answers a minute for everyone, one per source address: the counting itself is tested with a fixed clock
    // in test/bot/answer-budget.test.ts. Whichever minutes the asks fall in, one address gets at most one answer per
    // minute, so two of everyone's three are always left for others.
    shared = await startLocalChat({
      settings: {
        ...QUICK_OFFLINE_BOT,
        botTargets: 'offline',
        botAnswersPerMinute: '3',
        botAnswersPerRoomPerMinute: '100',
        botAnswersPerConnectionPerMinute: '100',
        botAnswersPerSourceIpPerMinute: '1',
      },
    });
  });

  afterAll(async () => {
    await shared.dispose();
  });

  it('cannot spend the bot for everyone: they alone are told, and others are still answered', async () => {
    // Another loopback address is another source IP to the gateway (API Gateway's requestContext.identity.sourceIp).
    const url = `ws://127.0.0.1:${shared.port}`;
    const person = { localAddress: '127.0.0.2', name: 'Pat' };
    const rooms = ['many-1', 'many-2', 'many-3'];
    const pat = await Promise.all(rooms.map(async (room) => (await ChatClient.join(url, { ...person, room })).client));
    const { client: quinn } = await ChatClient.join(url, { room: 'many-1', name: 'Quinn', localAddress: '127.0.0.3' });

    const patAsked: unknown[] = [];
    for (const [index, client] of pat.entries()) {
      client.send({ action: 'sendMessage', text: `@bot pat asks ${index}` });
      const asked = await client.next(userMessage(`@bot pat asks ${index}`));
      patAsked.push(asked.id);
      const after = client.frames.indexOf(asked);
      // Answered, or told: either way the bot is done with this question.
      await client.next((frame) => answerTo(asked, 'end')(frame) || (frame.type === 'system' && client.frames.indexOf(frame) > after));
    }
    quinn.send({ action: 'sendMessage', text: '@bot quinn asks' });
    const quinnAsked = await quinn.next(userMessage('@bot quinn asks'));
    const quinnAnswer = await quinn.next(answerTo(quinnAsked, 'end'));

    const patNotices = pat.flatMap((client) => client.ofType('system'));
    const patAnswers = pat.flatMap((client) =>
      client.frames.filter((frame) => frame.type === 'ai' && frame.state === 'end' && patAsked.includes(frame.replyTo)),
    );
    expect(quinnAnswer).toMatchObject({ type: 'ai', state: 'end', replyTo: quinnAsked.id, target: 'offline' });
    expect(patAnswers.length).toBeLessThanOrEqual(2);
    expect(patNotices.length).toBeGreaterThanOrEqual(1);
    for (const notice of patNotices) {
      expect(notice).toStrictEqual({
        type: 'system',
        room: expect.stringMatching(/^many-/),
        event: 'notice',
        text: 'The bot answers at most 1 messages a minute from your network address; it will answer you again in a moment.',
        online: expect.any(Number),
      });
    }
    // The notice went to Pat only, not to Quinn in the same room; nobody learns an address or a connection id.
    expect(quinn.ofType('system')).toStrictEqual([]);
    const everything = JSON.stringify([...pat, quinn].flatMap((client) => client.messages));
    expect(everything).not.toContain('127.0.0.2');
    expect(everything).not.toContain('127.0.0.3');
    for (const connectionId of shared.openConnectionIds()) expect(everything).not.toContain(connectionId);
    await Promise.all([...pat, quinn].map((client) => client.close()));
  });
});

describe('with the on-prem llama server in the chain', () => {
  let llama: FakeOpenAiServer;
  let withLlama: LocalChat;

  beforeAll(async () => {
    llama = await FakeOpenAiServer.start();
    withLlama = await startLocalChat({
      settings: { ...QUICK_OFFLINE_BOT, botTargets: 'llama,offline', llamaUrl: llama.url, llamaModel: 'llama3.2', botFirstTokenTimeoutMs: '1000' },
    });
  });

  afterAll(async () => {
    await withLlama.dispose();
    await llama.close();
  });

  it('streams the llama answer, with the room conversation in the prompt, and reports its usage', async () => {
    const words = ['Run ', '`npx cdk ', 'deploy`', ' after ', '`npx cdk bootstrap`', '.'];
    llama.script({ kind: 'sse', writes: answerEvents(words, { prompt: 42, completion: 7 }).flatMap((event) => [event, { pauseMs: 30 }]) });
    const { client } = await ChatClient.join(withLlama.webSocketUrl, { room: 'llama-room', name: 'Mia' });

    client.send({ action: 'sendMessage', text: '@bot how do I deploy?' });
    const question = await client.next(userMessage('@bot how do I deploy?'));
    const end = await client.next(answerTo(question, 'end'));
    const frames = aiFramesOf(client, end.id);

    expect(frames[0]).toMatchObject({ state: 'start', target: 'llama', model: 'llama3.2' });
    expect(frames.filter((frame) => frame.state === 'delta').length).toBeGreaterThanOrEqual(2);
    expect(end).toMatchObject({ target: 'llama', text: words.join(''), usage: { inputTokens: 42, outputTokens: 7 } });
    expect(llama.requests.at(-1)?.body).toMatchObject({
      model: 'llama3.2',
      stream: true,
      messages: [
        { role: 'system', content: expect.stringContaining('public chat room') },
        { role: 'user', content: 'Mia: @bot how do I deploy?' },
      ],
    });
    await client.close();
  });

  it('falls over to the next target when llama fails before its first token, and start names who answered', async () => {
    llama.script({ kind: 'status', status: 503, body: '{"error":{"message":"loading model"}}' });
    const { client } = await ChatClient.join(withLlama.webSocketUrl, { room: 'fallback-room', name: 'Ole' });

    client.send({ action: 'sendMessage', text: '@bot anyone?' });
    const question = await client.next(userMessage('@bot anyone?'));
    const end = await client.next(answerTo(question, 'end'));

    expect(aiFramesOf(client, end.id)[0]).toMatchObject({ state: 'start', target: 'offline' });
    expect(end.target).toBe('offline');
    await client.close();
  });

  it('gives someone who joins mid-answer the complete answer, and keeps it in history', async () => {
    // The answer is held after its first words until Late has joined: mid-answer by a gate, not by the pace.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const events = answerEvents(['The protocol ', 'has three frames: ', '`user`, ', '`ai` ', 'and `system`.'], { prompt: 9, completion: 5 });
    llama.script({ kind: 'sse', writes: [...events.slice(0, 3), { until: gate }, ...events.slice(3)] });
    const { client: asker } = await ChatClient.join(withLlama.webSocketUrl, { room: 'late-room', name: 'Asker' });
    asker.send({ action: 'sendMessage', text: '@bot tell me everything about the protocol' });
    const question = await asker.next(userMessage('@bot tell me everything about the protocol'));
    await asker.next(answerTo(question, 'start'));
    // Late misses at least this delta.
    await asker.next(answerTo(question, 'delta'));

    const { client: late } = await ChatClient.join(withLlama.webSocketUrl, { room: 'late-room', name: 'Late' });
    release();
    const end = await late.next(answerTo(question, 'end'));
    const endAtAsker = await asker.next(answerTo(question, 'end'));
    late.send({ action: 'history' });
    const history = await late.next((frame) => frame.type === 'history');

    expect(end).toStrictEqual(endAtAsker);
    expect(end).toMatchObject({ target: 'llama', text: 'The protocol has three frames: `user`, `ai` and `system`.' });
    expect((history.messages as Frame[]).map((message) => [message.type, message.id])).toStrictEqual([
      ['user', question.id],
      ['ai', end.id],
    ]);
    expect((history.messages as Frame[])[1]).toStrictEqual(end);
    await Promise.all([asker.close(), late.close()]);
  });
});

describe('when the llama server fails', () => {
  // What an upstream failure carries that must never reach a client or history: a body with a token and a config
  // path, the server's address and port, and low-level error codes.
  const SECRET_BODY = JSON.stringify({
    error: { message: 'invalid api key sk-live-7f3a9c2e1b; see /etc/llama/server-config.yaml', type: 'server_error' },
  });
  let llama: FakeOpenAiServer;
  let failing: LocalChat;
  let llamaPort: string;

  beforeAll(async () => {
    llama = await FakeOpenAiServer.start();
    llamaPort = new URL(llama.url).port;
    failing = await startLocalChat({
      settings: {
        botTargets: 'llama',
        llamaUrl: llama.url,
        llamaModel: 'llama3.2',
        botFirstTokenTimeoutMs: '2000',
        botAnswersPerConnectionPerMinute: '100',
      },
    });
  });

  afterAll(async () => {
    await failing.dispose();
    await llama.close().catch(() => undefined);
  });

  const leaks = (text: string) =>
    ['sk-live-7f3a9c2e1b', '/etc/llama', 'server-config', llama.url, `:${llamaPort}`, '127.0.0.1', 'ECONNREFUSED', 'UND_ERR', 'ECONNRESET', 'fetch failed', 'llama server', 'invalid api key'].filter(
      (secret) => text.includes(secret),
    );

  it('shows the room a stable code and a plain sentence, keeps the details in the logs only, and never leaks them', async () => {
    const { client } = await ChatClient.join(failing.webSocketUrl, { room: 'leak-room', name: 'Eve' });
    const publicError = (question: Frame) => ({
      type: 'ai',
      state: 'error',
      id: expect.any(String),
      room: 'leak-room',
      replyTo: question.id,
      code: 'unavailable',
      message: 'The bot could not answer right now.',
      text: '',
      ts: expect.any(Number),
    });

    // An upstream error status whose body holds a token and a config path (retried, then given up).
    llama.script(...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500, body: SECRET_BODY })));
    client.send({ action: 'sendMessage', text: '@bot first?' });
    const first = await client.next(userMessage('@bot first?'));
    const firstError = await client.next(answerTo(first, 'error'));

    // The connection dropped without an answer (undici's UND_ERR_SOCKET).
    llama.reset();
    llama.script(...Array.from({ length: 4 }, () => ({ kind: 'reset' as const })));
    client.send({ action: 'sendMessage', text: '@bot second?' });
    const second = await client.next(userMessage('@bot second?'));
    const secondError = await client.next(answerTo(second, 'error'));

    // The stream breaks mid-answer: the room keeps what it was shown, and learns that the answer was cut.
    llama.reset();
    llama.script({ kind: 'sse', writes: answerEvents(['Half ', 'an answer'], { prompt: 1, completion: 2 }).slice(0, 3), then: 'destroy' });
    client.send({ action: 'sendMessage', text: '@bot cut?' });
    const cut = await client.next(userMessage('@bot cut?'));
    const cutError = await client.next(answerTo(cut, 'error'));

    // Nobody listens any more: connect ECONNREFUSED 127.0.0.1:<port>.
    await llama.close();
    client.send({ action: 'sendMessage', text: '@bot third?' });
    const third = await client.next(userMessage('@bot third?'));
    const thirdError = await client.next(answerTo(third, 'error'));

    client.send({ action: 'history' });
    const history = await client.next((frame) => frame.type === 'history');

    expect(firstError).toStrictEqual(publicError(first));
    expect(secondError).toStrictEqual(publicError(second));
    expect(thirdError).toStrictEqual(publicError(third));
    expect(cutError).toStrictEqual({
      ...publicError(cut),
      code: 'interrupted',
      message: 'The bot could not finish this answer.',
      text: 'Half an answer',
      target: 'llama',
      model: 'llama3.2',
    });
    expect(history.messages).toStrictEqual([first, firstError, second, secondError, cut, cutError, third, thirdError]);
    expect(leaks(JSON.stringify(client.messages))).toStrictEqual([]);
    // The operators' side: each failure is logged with its room, answer id and target, details included.
    const botLogs = failing.logs.filter((line) => line.includes('Answer failed'));
    for (const [error, detail] of [
      [firstError, 'sk-live-7f3a9c2e1b'],
      [secondError, 'UND_ERR_SOCKET'],
      [thirdError, 'ECONNREFUSED'],
    ] as const) {
      const line = botLogs.find((candidate) => candidate.includes(String(error.id)));
      expect(line).toContain('leak-room');
      expect(line).toContain('llama');
      expect(line).toContain(detail);
    }
    await client.close();
  });
});
