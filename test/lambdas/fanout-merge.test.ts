import type { BusEvent, BusFrame } from '../../lambdas/shared/bus-event';
import { encodePayloads } from '../../lambdas/fanout/encode-payloads';
import { mergeFrames } from '../../lambdas/fanout/merge-frames';
import { recipientViews } from '../../lambdas/fanout/recipient-views';
import { streamMessageId } from '../../lambdas/shared/stream-message-id';

const room = 'lobby';
const ann = { id: 'u-ann', name: 'Ann' };
const bob = { id: 'u-bob', name: 'Bob' };
const typing = (author: typeof ann, text: string, ts = 1): BusFrame => ({ type: 'typing', room, author, text, ts });
const user = (id: string, text: string): BusFrame => ({ type: 'user', id, room, author: ann, text, ts: 1 });
const delta = (id: string, seq: number, text: string): BusFrame => ({ type: 'ai', state: 'delta', id, room, seq, text });
const start = (id: string): BusFrame => ({ type: 'ai', state: 'start', id, room, replyTo: 'q', target: 'offline', model: 'm', ts: 1 });
const member = (event: 'join' | 'leave', who: typeof ann, connectionId = `c-${who.id}`): BusFrame => ({
  type: 'member',
  room,
  event,
  member: { connectionId, userId: who.id, name: who.name, connectedAt: 1 },
});

describe('mergeFrames', () => {
  it('keeps only the newest draft of each person, where it stood', () => {
    const merged = mergeFrames([typing(ann, 'h'), typing(bob, 'y'), typing(ann, 'he'), user('1', 'x'), typing(ann, 'hel')], 3);

    expect(merged).toStrictEqual([typing(bob, 'y'), user('1', 'x'), typing(ann, 'hel')]);
  });

  it('keeps the draft API Gateway received last when two reach the stream out of order', () => {
    const merged = mergeFrames([typing(ann, 'hel', 300), typing(bob, 'y', 100), typing(ann, 'he', 200)], 3);

    expect(merged).toStrictEqual([typing(ann, 'hel', 300), typing(bob, 'y', 100)]);
  });

  it('joins consecutive deltas of one answer into one with seq and seqEnd, and keeps other frames in order', () => {
    const merged = mergeFrames(
      [start('a'), delta('a', 1, 'Hel'), typing(bob, 'q'), delta('a', 2, 'lo'), delta('b', 7, 'x'), delta('a', 3, '!')],
      1,
    );

    expect(merged).toStrictEqual([
      start('a'),
      { type: 'ai', state: 'delta', id: 'a', room, seq: 1, seqEnd: 3, text: 'Hello!' },
      typing(bob, 'q'),
      delta('b', 7, 'x'),
    ]);
  });

  it('does not join deltas whose seqs are not consecutive, and leaves a lone delta without seqEnd', () => {
    expect(mergeFrames([delta('a', 1, 'x'), delta('a', 3, 'z')], 1)).toStrictEqual([delta('a', 1, 'x'), delta('a', 3, 'z')]);
  });

  it('turns arrivals and departures into one presence frame where the first stood, with the online count', () => {
    const carl = { id: 'u-carl', name: 'Carl' };
    const merged = mergeFrames([user('1', 'a'), member('join', ann), member('leave', bob), member('join', carl), member('leave', carl), user('2', 'b')], 5);

    expect(merged).toStrictEqual([
      user('1', 'a'),
      { type: 'presence', room, joined: [ann], left: [bob], online: 5 },
      user('2', 'b'),
    ]);
  });

  it("nets presence per connection: a rename or reload within one batch shows the person's new and old connection", () => {
    const annie = { id: ann.id, name: 'Annie' };
    const renamed = mergeFrames([member('join', annie, 'c-new'), member('leave', ann, 'c-old')], 3);
    const reloaded = mergeFrames([member('join', ann, 'c-new'), member('leave', ann, 'c-old'), member('join', bob, 'c-b2'), member('join', bob, 'c-b3')], 4);

    expect(renamed).toStrictEqual([{ type: 'presence', room, joined: [annie], left: [ann], online: 3 }]);
    expect(reloaded).toStrictEqual([{ type: 'presence', room, joined: [ann, bob, bob], left: [ann], online: 4 }]);
  });

  it('never merges or drops messages, answer starts and notices, and fills in the notice online count', () => {
    const frames: BusFrame[] = [user('1', 'same'), user('2', 'same'), start('a'), start('b'), { type: 'system', room, event: 'notice', text: 'n', online: 0 }];

    expect(mergeFrames(frames, 4)).toStrictEqual([...frames.slice(0, 4), { type: 'system', room, event: 'notice', text: 'n', online: 4 }]);
  });
});

describe('encodePayloads', () => {
  it('sends one frame bare and several in one batch envelope', () => {
    const one = { type: 'typing', room, author: ann, text: 'a', ts: 1 } as const;

    expect(encodePayloads([one])).toStrictEqual([JSON.stringify(one)]);
    expect(encodePayloads([one, one]).map((payload) => JSON.parse(payload) as unknown)).toStrictEqual([{ type: 'batch', frames: [one, one] }]);
  });

  it('splits an envelope that would exceed the message limit, keeping order', () => {
    const frames = [1, 2, 3].map((n) => ({ type: 'user', id: `${n}`, room, author: ann, text: 'x'.repeat(40), ts: 1 }) as const);
    const single = Buffer.byteLength(JSON.stringify(frames[0]));

    const payloads = encodePayloads(frames, 2 * single + 40);

    expect(payloads.map((payload) => JSON.parse(payload) as unknown)).toStrictEqual([{ type: 'batch', frames: frames.slice(0, 2) }, frames[2]]);
  });
});

describe('recipientViews', () => {
  const event = (frame: BusFrame, exclude?: string): BusEvent => ({ room, frame, exclude, sequenceNumber: '1' });

  it('hides a typist\'s own draft and a joiner\'s own arrival and what came before it, sharing the common view', () => {
    const events = [event(user('1', 'before')), event(member('join', bob, 'c-bob'), 'c-bob'), event(typing(ann, 'dr'), 'c-ann'), event(user('2', 'after'))];
    const members = ['c-ann', 'c-bob', 'c-carl', 'c-dan'].map((connectionId) => ({ connectionId, connectedAt: 1 }));

    const views = recipientViews(events, members);
    const framesOf = (connectionId: string) => views.get(connectionId)?.payloads.map((payload) => JSON.parse(payload) as { frames: unknown[] });

    expect(framesOf('c-carl')).toStrictEqual([
      { type: 'batch', frames: [user('1', 'before'), { type: 'presence', room, joined: [bob], left: [], online: 4 }, typing(ann, 'dr'), user('2', 'after')] },
    ]);
    expect(framesOf('c-ann')).toStrictEqual([
      { type: 'batch', frames: [user('1', 'before'), { type: 'presence', room, joined: [bob], left: [], online: 4 }, user('2', 'after')] },
    ]);
    expect(framesOf('c-bob')).toStrictEqual([{ type: 'batch', frames: [typing(ann, 'dr'), user('2', 'after')] }]);
    expect(views.get('c-dan')).toBe(views.get('c-carl'));
  });

  it('gives a frame meant for one connection to that connection only, and never delivers who sent a message', () => {
    const notice: BusFrame = { type: 'system', room, event: 'notice', text: 'just for Ann', online: 0 };
    const asked: BusEvent = { ...event(user('3', 'a question')), sender: { connectionId: 'c-ann', sourceIp: '203.0.113.5' } };
    const events = [asked, { ...event(notice), only: 'c-ann' }];
    const members = ['c-ann', 'c-bob'].map((connectionId) => ({ connectionId, connectedAt: 1 }));

    const views = recipientViews(events, members);

    expect(views.get('c-ann')?.payloads.map((payload) => JSON.parse(payload) as unknown)).toStrictEqual([
      { type: 'batch', frames: [user('3', 'a question'), { ...notice, online: 2 }] },
    ]);
    expect(views.get('c-bob')?.payloads.map((payload) => JSON.parse(payload) as unknown)).toStrictEqual([user('3', 'a question')]);
    expect(views.get('c-bob')?.visible).toStrictEqual([0]);
    expect([...views.values()].flatMap((view) => view.payloads).join()).not.toMatch(/203\.0\.113\.5|sourceIp|sender/);
  });
});

describe('streamMessageId', () => {
  it('is a ULID-shaped id that sorts by arrival time, then by the sequence number\'s per-shard counter', () => {
    // kinesalite/Kinesis layout (hex): 2 | shard created (9) | 1 | counter (16) | 00 | seconds (9) | shard (8) | 2
    const sequence = (counter: number) =>
      BigInt(`0x2${'065a0bc00'}0${counter.toString(16).padStart(16, '0')}00${'065a0bc05'}${'00000000'}2`).toString();
    const ids = [streamMessageId(1700000000.5, sequence(9)), streamMessageId(1700000000.5, sequence(10)), streamMessageId(1700000000.501, sequence(3))];

    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toStrictEqual(ids);
    expect(streamMessageId(1700000000.5, sequence(9))).toBe(ids[0]);
  });
});
