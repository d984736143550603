/** API Gateway WebSocket quotas (none can be raised), enforced the same way locally. */
export const API_GATEWAY_LIMITS = {
  frameBytes: 32 * 1024,
  messageBytes: 128 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  maxConnectionMs: 2 * 60 * 60 * 1000,
  integrationTimeoutMs: 29 * 1000,
} as const;

export type GatewayLimits = { -readonly [K in keyof typeof API_GATEWAY_LIMITS]: number };

/** WebSocket close codes API Gateway uses. */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  /** A binary frame: the API has no binary media types. */
  unsupportedData: 1003,
  messageTooBig: 1009,
} as const;
