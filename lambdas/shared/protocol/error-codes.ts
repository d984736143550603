/** Stable, machine-readable codes carried by `error` frames and rejected handshakes. */
export const ERROR_CODES = {
  badJson: 'bad_json',
  unknownAction: 'unknown_action',
  invalid: 'invalid',
  tooLong: 'too_long',
  invalidRoom: 'invalid_room',
  invalidName: 'invalid_name',
  /** The handshake's `key` is not 22-86 base64url characters. */
  invalidKey: 'invalid_key',
  originNotAllowed: 'origin_not_allowed',
  notConnected: 'not_connected',
  unavailable: 'unavailable',
  rateLimited: 'rate_limited',
  /** `stopAnswer`: no such answer is streaming (never existed, or already ended). */
  notFound: 'not_found',
  /** `stopAnswer`: only the person who asked may stop an answer. */
  forbidden: 'forbidden',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
