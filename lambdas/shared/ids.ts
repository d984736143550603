import { createHash, randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();
/**
 * Bytes in an author id: 96 bits, so finding a key whose id is someone else's (a preimage of a truncated SHA-256)
 * takes about 2^96 hashes, far beyond anyone's means; collisions between honest ids need ~2^48 people in one room.
 */
const USER_ID_BYTES = 12;

/** Unique message id that sorts in time order (a ULID); monotonic within one Lambda instance. */
export function newMessageId(now: number = Date.now()): string {
  return nextUlid(now);
}

/** Public id of a participant who brought no key (wscat): random, so every connection is someone new. */
export function newUserId(): string {
  return `u-${randomBytes(USER_ID_BYTES).toString('base64url')}`;
}

/**
 * Public id of a participant who brought a secret key: the same key in the same room is the same id on every
 * connection. Derived with the room, so one key gives unrelated ids in different rooms and ids do not link a
 * person across rooms. Not a secret and not an authentication: it only says "the same browser as before".
 */
export function userIdFromKey(room: string, key: string): string {
  const digest = createHash('sha256').update(`chat-author-id\n${room}\n${key}`).digest();
  return `u-${digest.subarray(0, USER_ID_BYTES).toString('base64url')}`;
}
