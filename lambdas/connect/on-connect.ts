import { connectionExpiresAt, type ConnectionsStore } from '../shared/connections-store';
import type { EventBus } from '../shared/event-bus';
import { friendlyName } from '../shared/friendly-name';
import { foldName, type NameClaims, type NameHolder } from '../shared/name-claims';
import { nameCandidates } from './unique-name';
import { newUserId, userIdFromKey } from '../shared/ids';
import { logger } from '../shared/logger';
import { announcePresence } from '../shared/presence';
import { ERROR_CODES, type ErrorCode } from '../shared/protocol/error-codes';
import { parseHandshake } from '../shared/protocol/parse-handshake';
import { ProtocolError } from '../shared/protocol/protocol-error';
import { headerOf, type WebSocketEvent, type WebSocketResult } from '../shared/websocket-event';

export interface ConnectDeps {
  connections: ConnectionsStore;
  names: NameClaims;
  bus: EventBus;
  /** Empty allows every Origin. */
  allowedOrigins: readonly string[];
  /** The bot's configured name (setting botName): nobody may connect with it. */
  botName: string;
}

/**
 * `$connect`: validates the handshake, gives the connection its author id (from the page's key, else random),
 * registers it in its room under a name nobody else there holds (a taken one gets a suffix: "Ann 2"; `welcome.you`
 * tells the person; the same author's other connections share theirs), announces the arrival. The name is claimed
 * (name-claims.ts) before the row and the presence record carry it, so two people connecting with one name in the
 * same instant get different ones.
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
    const connectionId = event.requestContext.connectionId;
    const connectedAt = Date.now();
    const holder = { room: handshake.room, userId, connectionId, expiresAt: connectionExpiresAt(connectedAt) };
    const connection = { connectionId, room: handshake.room, userId, name: await claimFreeName(wanted, holder, deps.names), connectedAt };
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

/** How many names like the one asked for ("Ann", "Ann 2", ...) a newcomer may try before being asked for another. */
const NAME_CANDIDATES = 30;

/** The first of the name's candidates nobody else in the room holds, claimed for the newcomer. */
async function claimFreeName(wanted: string, holder: NameHolder, names: NameClaims): Promise<string> {
  for (const candidate of nameCandidates(wanted, NAME_CANDIDATES)) {
    if (await names.claim(candidate, holder)) return candidate;
  }
  throw new ProtocolError(ERROR_CODES.invalidName, `Invalid name: "${wanted}" and ${NAME_CANDIDATES - 1} names like it are taken in this room; choose another name`);
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
