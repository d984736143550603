// The page and the functions share the wire types (contract/protocol.ts): one valid frame of every kind the server
// sends, checked against the functions' own schemas where they have one, decodes unchanged through the page's lenient
// decoder (web/src/protocol.ts). A kind missing from VALID does not compile.
import type { AiEnd, BatchFrame, ServerFrame } from '../../contract/protocol';
import { broadcastFrameSchema } from '../../lambdas/shared/protocol/server-frames';
import { decodeServerMessage } from '../../web/src/protocol';

type KindOf<F> = F extends { type: 'ai'; state: infer S extends string } ? `ai.${S}` : F extends { type: infer T extends string } ? T : never;
type FramesByKind = { [F in Exclude<ServerFrame, BatchFrame> as KindOf<F>]: F };

const alice = { id: 'u-alice', name: 'Alice' };
const bob = { id: 'u-bob', name: 'Bob' };
const answer: AiEnd = {
  type: 'ai',
  state: 'end',
  id: '01J9ZKQ0000000000000000002',
  room: 'lobby',
  replyTo: '01J9ZKQ0000000000000000001',
  target: 'bedrock',
  model: 'anthropic.claude-3-haiku',
  text: 'Connect with wscat [1].',
  usage: { inputTokens: 120, outputTokens: 9 },
  firstTokenMs: 412,
  stopReason: 'end_turn',
  sources: [{ id: 'protocol#2', title: 'Wire protocol', source: 'docs/protocol.md', score: 0.82, snippet: 'Connect to the wss:// URL' }],
  ts: 1_700_000_000_500,
};

const VALID: FramesByKind = {
  user: {
    type: 'user',
    id: '01J9ZKQ0000000000000000001',
    room: 'lobby',
    author: alice,
    text: 'how do I connect?',
    ts: 1_700_000_000_000,
    clientMsgId: 'c-1',
  },
  typing: { type: 'typing', room: 'lobby', author: bob, text: 'I think', ts: 1_700_000_000_100 },
  system: { type: 'system', room: 'lobby', event: 'notice', text: 'The bot is resting for a minute', online: 2 },
  'ai.start': {
    type: 'ai',
    state: 'start',
    id: answer.id,
    room: 'lobby',
    replyTo: answer.replyTo,
    target: 'bedrock',
    model: 'anthropic.claude-3-haiku',
    ts: 1_700_000_000_200,
  },
  'ai.delta': { type: 'ai', state: 'delta', id: answer.id, room: 'lobby', seq: 1, seqEnd: 3, text: 'Connect with' },
  'ai.end': answer,
  'ai.error': {
    type: 'ai',
    state: 'error',
    id: '01J9ZKQ0000000000000000003',
    room: 'lobby',
    replyTo: '01J9ZKQ0000000000000000001',
    code: 'model_error',
    message: 'The model is not available right now',
    text: 'Connect',
    target: 'llama',
    model: 'llama-3.1-8b',
    ts: 1_700_000_000_600,
  },
  presence: { type: 'presence', room: 'lobby', joined: [bob], left: [alice], online: 1 },
  welcome: {
    type: 'welcome',
    you: bob,
    room: 'lobby',
    online: 2,
    members: [alice, bob],
    history: [
      { type: 'user', id: '01J9ZKQ0000000000000000001', room: 'lobby', author: alice, text: 'hi', ts: 1_700_000_000_000 },
      answer,
    ],
    hasMore: true,
    cursor: '01J9ZKQ0000000000000000001',
    bot: { name: 'bot', replies: 'addressed' },
  },
  history: { type: 'history', room: 'lobby', messages: [answer], hasMore: true, cursor: '01J9ZKQ0000000000000000002' },
  error: {
    type: 'error',
    code: 'rate_limited',
    message: 'Too many messages; wait a moment',
    action: 'sendMessage',
    clientMsgId: 'c-2',
    retryAfterMs: 1500,
  },
};

describe("the page's decoder and the server's frames", () => {
  test.each(Object.entries(VALID))('a valid %s frame decodes unchanged', (_kind, frame) => {
    expect(decodeServerMessage(JSON.stringify(frame))).toStrictEqual([frame]);
  });

  test('a batch decodes into its frames, unchanged and in order', () => {
    const frames = [VALID.typing, VALID['ai.start'], VALID['ai.delta'], VALID.user, VALID.presence, VALID.system];
    const batch: BatchFrame = { type: 'batch', frames };
    expect(decodeServerMessage(JSON.stringify(batch))).toStrictEqual(frames);
  });

  test("the broadcast samples are valid by the functions' own schemas", () => {
    const broadcast = [VALID.user, VALID.typing, VALID.system, VALID['ai.start'], VALID['ai.delta'], VALID['ai.end'], VALID['ai.error']];
    for (const frame of broadcast) expect(broadcastFrameSchema.safeParse(frame)).toStrictEqual({ success: true, data: frame });
  });

  test('it stays lenient: malformed frames and list items are dropped, unknown fields left out', () => {
    const message = JSON.stringify({
      type: 'batch',
      frames: [
        { type: 'user', id: 'x' },
        { ...VALID.presence, joined: [bob, { id: 7 }], extra: true },
        { type: 'from-the-future' },
      ],
    });
    expect(decodeServerMessage(message)).toStrictEqual([VALID.presence]);
    expect(decodeServerMessage('not json')).toBeUndefined();
    expect(decodeServerMessage('{"message":"Internal server error"}')).toStrictEqual([
      { type: 'error', code: 'gateway', message: 'Internal server error' },
    ]);
  });
});
