/** Limits of wire protocol v1 (docs/protocol.md). Lengths count Unicode code points, not UTF-16 units. */
export const LIMITS = {
  roomPattern: /^[a-z0-9-]{1,40}$/,
  /** A page's secret key (handshake `key`): 128 to 512 bits of randomness in base64url, no padding. */
  keyPattern: /^[A-Za-z0-9_-]{22,86}$/,
  defaultRoom: 'lobby',
  nameMaxLength: 32,
  textMaxLength: 4000,
  clientMsgIdMaxLength: 64,
  historyDefaultLimit: 50,
  historyMaxLimit: 100,
  welcomeHistoryLength: 50,
  welcomeMembersMax: 100,
  /** API Gateway's limit on one WebSocket message from the server (PostToConnection data), in bytes. */
  messageMaxBytes: 128 * 1024,
} as const;

/**
 * Names nobody may take, compared case-insensitively after NFKC folding: who the page shows speaking for the room
 * (the bot, the system) and names that claim to. The bot has no configurable name: the page shows it as "Bot".
 */
export const RESERVED_NAMES = ['bot', 'system', 'assistant', 'ai', 'server', 'admin', 'moderator'] as const;

export const ROOM_RULE = 'a room is 1-40 characters of a-z, 0-9 and -';
export const KEY_RULE = 'a key is 22-86 characters of A-Z, a-z, 0-9, - and _ (base64url of 16-64 random bytes)';
