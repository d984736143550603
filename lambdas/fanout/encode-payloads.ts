import type { DeliveredFrame } from '../../contract/protocol';

/** API Gateway's limit on one WebSocket message (PostToConnection data), in bytes. */
export const MAX_MESSAGE_BYTES = 128 * 1024;

/**
 * The WebSocket messages carrying `frames`: one `{"type":"batch","frames":[...]}` envelope, or the frame itself when
 * there is only one. Only when the envelope would exceed API Gateway's message limit is it split into several, each
 * as large as fits, in order.
 */
export function encodePayloads(frames: readonly DeliveredFrame[], maxBytes: number = MAX_MESSAGE_BYTES): string[] {
  const encoded = frames.map((frame) => JSON.stringify(frame));
  const payloads: string[] = [];
  let group: string[] = [];
  let groupBytes = 0;
  const flush = () => {
    if (group.length === 1) payloads.push(group[0] as string);
    else if (group.length > 1) payloads.push(`{"type":"batch","frames":[${group.join(',')}]}`);
    group = [];
    groupBytes = 0;
  };
  const envelopeBytes = Buffer.byteLength('{"type":"batch","frames":[]}');
  for (const frame of encoded) {
    const bytes = Buffer.byteLength(frame) + 1;
    if (group.length > 0 && envelopeBytes + groupBytes + bytes > maxBytes) flush();
    group.push(frame);
    groupBytes += bytes;
  }
  flush();
  return payloads;
}
