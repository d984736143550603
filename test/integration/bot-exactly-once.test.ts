import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { FUNCTIONS } from '../../contract';
import type { BusRecord } from '../../lambdas/shared/bus-event';
import { laneOf } from '../../local/event-source/lane-of';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/services/local-credentials';
import { ChatClient, userMessage, type Frame } from '../support/chat-client';
import { answerEvents, completionChunk, FakeOpenAiServer, lastMessageOf, sseData } from '../support/fake-openai-server';
import { startLocalChat, type LocalChat } from '../support/local-chat';

/**
 * Answers are exactly once, through the local runtime stopped in the middle of a batch and started again on the same
 * data, as a crash or a stop would leave it: the bot's batch is delivered again from its checkpoint.
 */

let llama: FakeOpenAiServer;
let dataDir: string;
let chat: LocalChat | undefined;

beforeAll(async () => {
  llama = await FakeOpenAiServer.start();
  dataDir = mkdtempSync(join(tmpdir(), 'chat-exactly-once-'));
});

afterAll(async () => {
  await chat?.dispose();
  await llama.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = () =>
  startLocalChat({
    dataDir,
    settings: { botTargets: 'llama,offline', llamaUrl: llama.url, llamaModel: 'llama3.2', botFirstTokenTimeoutMs: '2000' },
  });

/** Two rooms the bot's event source puts in the same lane, so their records share batches. */
function roomsSharingALane(): [string, string] {
  const lanes = FUNCTIONS.bot.consumes.parallelizationFactor;
  const cut = 'cut-room';
  for (let i = 0; ; i += 1) {
    const other = `done-room-${i}`;
    if (laneOf(other, lanes) === laneOf(cut, lanes)) return [cut, other];
  }
}

async function putTogether(runtime: LocalChat, records: BusRecord[]): Promise<void> {
  const kinesis = new KinesisClient({ endpoint: runtime.kinesis.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler: new NodeHttpHandler() });
  await kinesis.send(
    new PutRecordsCommand({
      StreamName: runtime.kinesis.streamNames.events,
      Records: records.map((record) => ({ PartitionKey: record.room, Data: Buffer.from(JSON.stringify(record)) })),
    }),
  );
  kinesis.destroy();
}

const question = (room: string, author: Frame, text: string): BusRecord => ({
  v: 1,
  room,
  frame: { type: 'user', room, author: author as unknown as { id: string; name: string }, text, ts: Date.now() },
  // As the message function marks a message that asks the bot; the bot's event source filter selects only these.
  askBot: true,
});

it('after a stop mid-batch, closes the cut answer under its own id and never answers a question twice', async () => {
  const [cutRoom, doneRoom] = roomsSharingALane();
  llama.route((body) => lastMessageOf(body).endsWith('please stall'), {
    kind: 'sse',
    writes: [sseData(completionChunk({ role: 'assistant', content: null })), sseData(completionChunk({ content: 'Partial ' }))],
    then: 'hold',
  });
  llama.route((body) => lastMessageOf(body).endsWith('please finish'), {
    kind: 'sse',
    writes: answerEvents(['Done ', 'in full.'], { prompt: 3, completion: 4 }),
  });
  chat = await start();
  const { client: ann, welcome: annWelcome } = await ChatClient.join(chat.webSocketUrl, { room: cutRoom, name: 'Ann' });
  const { client: ben, welcome: benWelcome } = await ChatClient.join(chat.webSocketUrl, { room: doneRoom, name: 'Ben' });

  // One PutRecords call: both questions are read together, so the bot gets them in one batch of one lane.
  await putTogether(chat, [question(cutRoom, annWelcome.you as Frame, 'please stall'), question(doneRoom, benWelcome.you as Frame, 'please finish')]);
  const cutQuestion = await ann.next(userMessage('please stall'));
  const doneQuestion = await ben.next(userMessage('please finish'));
  const cutStart = await ann.next((frame) => frame.type === 'ai' && frame.state === 'start');
  await ann.next((frame) => frame.type === 'ai' && frame.state === 'delta' && frame.text === 'Partial ');
  const doneEnd = await ben.next((frame) => frame.type === 'ai' && frame.state === 'end');

  // The batch is still running (the cut room's answer stalls): stop as a crash would, and start on the same data.
  await chat.dispose();
  chat = await start();

  const histories: Frame[][] = [];
  for (const [room, name] of [
    [cutRoom, 'Cat'],
    [doneRoom, 'Dan'],
  ] as const) {
    const { client } = await ChatClient.join(chat.webSocketUrl, { room, name });
    // A later question in the same room is answered after the retried batch: a barrier, by events.
    client.send({ action: 'sendMessage', text: `@bot after the restart in ${room}` });
    const barrier = await client.next(userMessage(`@bot after the restart in ${room}`));
    await client.next((frame) => frame.type === 'ai' && frame.state === 'end' && frame.replyTo === barrier.id, 30_000);
    client.send({ action: 'history' });
    histories.push((await client.next((frame) => frame.type === 'history')).messages as Frame[]);
    await client.close();
  }
  const [cutHistory, doneHistory] = histories as [Frame[], Frame[]];

  expect(cutHistory.slice(0, 2)).toStrictEqual([
    cutQuestion,
    {
      type: 'ai',
      state: 'error',
      id: cutStart.id,
      room: cutRoom,
      replyTo: cutQuestion.id,
      code: 'interrupted',
      message: 'The bot could not finish this answer.',
      text: '',
      ts: expect.any(Number),
    },
  ]);
  expect(doneHistory.slice(0, 2)).toStrictEqual([doneQuestion, doneEnd]);
  // Exactly one more message each (the barrier) and its answer: no second answer to either question.
  expect(cutHistory.map((message) => [message.type, message.replyTo])).toStrictEqual([
    ['user', undefined],
    ['ai', cutQuestion.id],
    ['user', undefined],
    ['ai', cutHistory[2]?.id],
  ]);
  expect(doneHistory.map((message) => [message.type, message.replyTo])).toStrictEqual([
    ['user', undefined],
    ['ai', doneQuestion.id],
    ['user', undefined],
    ['ai', doneHistory[2]?.id],
  ]);
  // The model was asked each question once, however often its record was delivered.
  const asked = llama.requests.map(({ body }) => lastMessageOf(body));
  expect(asked.filter((text) => text.endsWith('please stall'))).toHaveLength(1);
  expect(asked.filter((text) => text.endsWith('please finish'))).toHaveLength(1);
  await Promise.all([ann, ben].map((client) => client.close().catch(() => undefined)));
  // Two start-ups of the whole runtime: a bound for a loaded machine, not a speed assertion.
}, 240_000);
