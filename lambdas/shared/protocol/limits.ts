/** Limits of wire protocol v1 (docs/protocol.md). Lengths count Unicode code points, not UTF-16 units. */
export const LIMITS = {
  roomPattern: /^[a-z0-9-]{1,40}$/,
  defaultRoom: 'lobby',
  nameMaxLength: 32,
  textMaxLength: 4000,
  clientMsgIdMaxLength: 64,
  historyDefaultLimit: 50,
  historyMaxLimit: 100,
  welcomeHistoryLength: 50,
  welcomeMembersMax: 100,
} as const;

export const ROOM_RULE = 'a room is 1-40 characters of a-z, 0-9 and -';
