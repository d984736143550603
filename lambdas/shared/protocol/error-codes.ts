/** Stable, machine-readable codes carried by `error` frames and rejected handshakes. */
export const ERROR_CODES = {
  badJson: 'bad_json',
  unknownAction: 'unknown_action',
  invalid: 'invalid',
  tooLong: 'too_long',
  invalidRoom: 'invalid_room',
  invalidName: 'invalid_name',
  originNotAllowed: 'origin_not_allowed',
  notConnected: 'not_connected',
  unavailable: 'unavailable',
  rateLimited: 'rate_limited',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
