import { randomBytes } from 'node:crypto';

/**
 * An id shaped like API Gateway's connection ids and extended request ids (16 base64 characters ending in "="), so
 * URL-encoding of a connection id in @connections paths is exercised.
 */
export function newGatewayId(): string {
  return randomBytes(10).toString('base64').replace(/[+/]/g, 'x');
}
