import { FrameSizeGuard } from '../../local/gateway/frame-size-guard';

/** A masked client frame header (RFC 6455) for a payload of `length` bytes, followed by the payload. */
function maskedFrame(length: number, opcode = 0x1, fin = true): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, 0x80 | length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, Buffer.from([1, 2, 3, 4]), Buffer.alloc(length, 0x61)]);
}

function oversizeReports(limit: number, ...chunks: Buffer[]): number[] {
  const reports: number[] = [];
  const guard = new FrameSizeGuard(limit, (bytes) => reports.push(bytes));
  for (const chunk of chunks) guard.push(chunk);
  return reports;
}

describe('FrameSizeGuard', () => {
  it('accepts frames up to the limit, with 7-bit, 16-bit and 64-bit lengths', () => {
    expect(oversizeReports(70_000, maskedFrame(10), maskedFrame(300), maskedFrame(70_000))).toStrictEqual([]);
  });

  it('reports the first frame over the limit, once', () => {
    expect(oversizeReports(32 * 1024, maskedFrame(100), maskedFrame(32 * 1024 + 1), maskedFrame(40_000))).toStrictEqual([32 * 1024 + 1]);
  });

  it('reads a header split across chunks, byte by byte', () => {
    const frame = maskedFrame(40_000);
    const bytes = [...frame.subarray(0, 8)].map((byte) => Buffer.from([byte]));

    expect(oversizeReports(32 * 1024, ...bytes)).toStrictEqual([40_000]);
  });

  it('skips payloads that span chunks and finds the next header', () => {
    const stream = Buffer.concat([maskedFrame(1000), maskedFrame(20), maskedFrame(2000)]);
    const chunks = [stream.subarray(0, 7), stream.subarray(7, 900), stream.subarray(900, 1020), stream.subarray(1020)];

    expect(oversizeReports(1500, ...chunks)).toStrictEqual([2000]);
  });

  it('judges fragments one frame at a time, as API Gateway does', () => {
    expect(oversizeReports(32 * 1024, maskedFrame(30_000, 0x1, false), maskedFrame(30_000, 0x0, true))).toStrictEqual([]);
  });

  it('counts the messages complete before the oversized frame: fragments and control frames are not messages', () => {
    const counts: number[] = [];
    const guard = new FrameSizeGuard(1000, (_bytes, messagesBefore) => counts.push(messagesBefore));
    const ping = maskedFrame(4, 0x9);
    const stream = Buffer.concat([maskedFrame(10), maskedFrame(10, 0x1, false), ping, maskedFrame(10, 0x0, true), maskedFrame(10, 0x2), maskedFrame(1001)]);

    guard.push(stream);

    expect(counts).toStrictEqual([3]);
  });
});
