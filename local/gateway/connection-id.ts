import { randomBytes } from 'node:crypto';

/** Connection ids shaped like API Gateway's (16 base64 characters ending in "="), so URL-encoding is exercised. */
export function newConnectionId(): string {
  return randomBytes(10).toString('base64').replace(/[+/]/g, 'x');
}
