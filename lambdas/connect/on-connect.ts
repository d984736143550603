import type { ConnectionsStore } from '../shared/connections-store';
import type { EventBus } from '../shared/event-bus';
import { friendlyName } from '../shared/friendly-name';
import { foldName, uniqueName } from './unique-name';
import { newUserId, userIdFromKey } from '../shared/ids';
import { logger } from '../shared/logger';
import { announcePresence } from '../shared/presence';
import { ERROR_CODES, type ErrorCode } from '../shared/protocol/error-codes';
import { parseHandshake } from '../shared/protocol/parse-handshake';
import { ProtocolError } from '../shared/protocol/protocol-error';
import { headerOf, type WebSocketEvent, type WebSocketResult } from '../shared/websocket-event';

export interface ConnectDeps {
  connections: ConnectionsStore;
  bus: EventBus;
  /** Empty allows every Origin. */
  allowedOrigins: readonly string[];
  /** The bot's configured name (setting botName): nobody may connect with it. */
  botName: string;
}

/**
 * `$connect`: validates the handshake, gives the connection its author id (from the page's key, else random),
 * registers it in its room under a name nobody else there has (a taken one gets a suffix: "Ann 2"; `welcome.you`
 * tells the person; the same author's other connections do not take it), announces the arrival. The name is settled here,
 * before the row and the presence record carry it; two people connecting with one name in the same instant can both
 * get it (nothing locks the name), which only makes them look alike.
 */
export async function onConnect(event: WebSocketEvent, deps: ConnectDeps): Promise<WebSocketResult> {
  try {
    checkOrigin(headerOf(event, 'origin'), deps.allowedOrigins);
    const handshake = parseHandshake(event.queryStringParameters);
    const wanted = handshake.name ?? friendlyName();
    if (foldName(wanted) === foldName(deps.botName)) {
      throw new ProtocolError(ERROR_CODES.invalidName, `Invalid name: "${wanted}" is the bot's name; choose another name`);
    }
    // A page's key makes it one person across its connections (reloads, drops, renames); no key, someone new.
    const userId = handshake.key === undefined ? newUserId() : userIdFromKey(handshake.room, handshake.key);
    const connection = {
      connectionId: event.requestContext.connectionId,
      room: handshake.room,
      userId,
      name: uniqueName(wanted, await deps.connections.namesInRoom(handshake.room, userId)),
      connectedAt: Date.now(),
    };
    await deps.connections.register(connection);
    try {
      await announcePresence(deps.bus, 'join', connection);
    } catch (error) {
      // Presence is a courtesy: the connection is registered and works without it.
      logger.warn('Could not announce join', { error, room: connection.room });
    }
    return { statusCode: 200 };
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    logger.info('Handshake rejected', { code: error.code, reason: error.message });
    // API Gateway sends the client only the status code of a refused $connect (never a body), so each reason has its own.
    return { statusCode: REFUSAL_STATUS[error.code] ?? 400 };
  }
}

/** The status code a refused handshake answers, per reason (docs/protocol.md lists them). */
const REFUSAL_STATUS: Partial<Record<ErrorCode, number>> = {
  [ERROR_CODES.invalidRoom]: 400,
  [ERROR_CODES.originNotAllowed]: 403,
  [ERROR_CODES.invalidName]: 422,
  [ERROR_CODES.invalidKey]: 406,
};

// Browsers always send Origin; clients that send none (wscat, servers) are not subject to the allow-list.
function checkOrigin(origin: string | undefined, allowed: readonly string[]): void {
  if (origin === undefined || allowed.length === 0 || allowed.includes(origin)) return;
  throw new ProtocolError(ERROR_CODES.originNotAllowed, `Origin ${origin} is not allowed`);
}
