import { parseSse, type SseEvent } from '../../../lambdas/bot/inference/sse-parser';
import { chunksOf, collect, cutBytes } from './support/collect';

async function parse(chunks: Uint8Array[]): Promise<SseEvent[]> {
  const { items, error } = await collect(parseSse(chunksOf(chunks)));
  if (error) throw error;
  return items;
}

describe('parseSse', () => {
  it('reads data events separated by blank lines, with the default type', async () => {
    // Prepare
    const body = 'data: {"a":1}\n\ndata: [DONE]\n\n';

    // Act
    const events = await parse(cutBytes(body));

    // Assess
    expect(events).toStrictEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '[DONE]' },
    ]);
  });

  it('gives the same events wherever the bytes are cut, including inside a multi-byte character and a CRLF', async () => {
    // Prepare: 2-, 3- and 4-byte characters, CRLF line ends, a comment and an event type.
    const body = ': keep-alive\r\n\r\ndata: {"content":"é€😀"}\r\n\r\nevent: error\r\ndata: {"m":"ü"}\r\n\r\n';
    const expected = [
      { event: 'message', data: '{"content":"é€😀"}' },
      { event: 'error', data: '{"m":"ü"}' },
    ];
    const length = Buffer.byteLength(body);

    // Act + Assess: every single cut, and every pair of cuts.
    for (let first = 1; first < length; first++) {
      expect(await parse(cutBytes(body, first))).toStrictEqual(expected);
      for (let second = first + 1; second < length; second += 3) {
        expect(await parse(cutBytes(body, first, second))).toStrictEqual(expected);
      }
    }
  });

  it('takes the bytes one at a time', async () => {
    const body = 'data: ½ ✓ 𝄞\n\n';
    const bytes = [...Buffer.from(body)].map((byte) => new Uint8Array([byte]));
    expect(await parse(bytes)).toStrictEqual([{ event: 'message', data: '½ ✓ 𝄞' }]);
  });

  it('joins several data lines with a newline and strips only one leading space', async () => {
    const body = 'data: first\ndata:second\ndata:  third\n\n';
    expect(await parse(cutBytes(body))).toStrictEqual([{ event: 'message', data: 'first\nsecond\n third' }]);
  });

  it('accepts lone CR line ends, even when the CR ends a chunk', async () => {
    const body = 'data: a\r\rdata: b\r\r';
    expect(await parse(cutBytes(body, 8, 9))).toStrictEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('ignores comments, unknown fields, id and retry, and events without data', async () => {
    const body = ':comment\nid: 7\nretry: 1000\nfoo: bar\n\nevent: ping\n\ndata: x\n\n';
    expect(await parse(cutBytes(body))).toStrictEqual([{ event: 'message', data: 'x' }]);
  });

  it('drops an unterminated event at the end of the stream', async () => {
    expect(await parse(cutBytes('data: whole\n\ndata: cut off'))).toStrictEqual([{ event: 'message', data: 'whole' }]);
  });

  it('skips a byte order mark at the start', async () => {
    expect(await parse([new Uint8Array([0xef, 0xbb, 0xbf]), ...cutBytes('data: x\n\n')])).toStrictEqual([
      { event: 'message', data: 'x' },
    ]);
  });

  it('turns invalid UTF-8 into replacement characters rather than failing', async () => {
    const invalid = new Uint8Array([...Buffer.from('data: a'), 0xff, ...Buffer.from('b\n\n')]);
    expect(await parse([invalid])).toStrictEqual([{ event: 'message', data: 'a\uFFFDb' }]);
  });
});
