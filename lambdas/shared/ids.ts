import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/** Unique message id that sorts in time order (a ULID); monotonic within one Lambda instance. */
export function newMessageId(now: number = Date.now()): string {
  return nextUlid(now);
}

/** Public id of a participant, shown to others instead of the connection id. */
export function newUserId(): string {
  return `u-${randomBytes(6).toString('base64url')}`;
}
