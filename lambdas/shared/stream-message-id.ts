/**
 * The id of a person's message, derived from where the stream put it, so that ids sort in stream order: the order
 * fanout delivered the room live is the order history (sorted by id) returns. Every consumer derives the same id from
 * the same record, and a retried record keeps its id, so clients drop the duplicate.
 *
 * The id has the shape of a ULID (26 Crockford base-32 characters): 48 bits of the record's arrival time in
 * milliseconds, then 80 bits of its sequence number. Kinesis sequence numbers (and kinesalite's, which copies their
 * layout) hold a per-shard counter in bits 80-143 that grows by one per record; bits 80-159 are taken so that records
 * arriving in the same millisecond still sort in stream order. docs/protocol.md explains the choice.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const COUNTER_SHIFT = 80n;
const RANDOM_BITS = 80n;
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

export function streamMessageId(approximateArrivalSeconds: number, sequenceNumber: string): string {
  const arrivalMs = BigInt(Math.max(0, Math.round(approximateArrivalSeconds * 1000)));
  return encode(arrivalMs, TIME_CHARS) + encode(counterBits(sequenceNumber), RANDOM_CHARS);
}

function counterBits(sequenceNumber: string): bigint {
  const value = /^\d+$/.test(sequenceNumber) ? BigInt(sequenceNumber) : 0n;
  return (value >> COUNTER_SHIFT) & ((1n << RANDOM_BITS) - 1n);
}

function encode(value: bigint, length: number): string {
  let rest = value;
  let text = '';
  for (let i = 0; i < length; i += 1) {
    text = CROCKFORD[Number(rest & 31n)] + text;
    rest >>= 5n;
  }
  return text;
}
