import { randomBytes } from 'node:crypto';

/**
 * An id shaped like API Gateway's connection ids, request ids and message ids: 11 random bytes as 15 URL-safe base64
 * characters and one `=` (e.g. `JC1dgf9yoAMCK-g=`), so the URL-encoding of a connection id in @connections paths is
 * exercised as on AWS.
 */
export function newGatewayId(): string {
  return `${randomBytes(11).toString('base64url')}=`;
}

/**
 * Whether `id` could be a connection id at all: padded base64. API Gateway answers 400 BadRequestException
 * ("Invalid connectionId") to anything else, and 410 GoneException to a well-formed id it does not know. AWS does not
 * publish its exact rule; this is the shape of every id it issues.
 */
export function isWellFormedConnectionId(id: string): boolean {
  return id.length <= 128 && /^[A-Za-z0-9+/_-]+={1,2}$/.test(id);
}
