import { ERROR_CODES } from './error-codes';
import { KEY_RULE, LIMITS, ROOM_RULE } from './limits';
import { ProtocolError } from './protocol-error';
import { nameProblem } from './text';

export interface Handshake {
  room: string;
  /** Undefined when the client did not choose one; the server then picks a friendly random name. */
  name: string | undefined;
  /** The page's secret key, from which its author id follows; undefined when the client sent none (wscat). */
  key: string | undefined;
}

/** Validates the `room`, `name` and `key` query parameters of `ws(s)://HOST[/stage]?room=ROOM&name=NAME&key=KEY`. */
export function parseHandshake(query: Readonly<Record<string, string | undefined>> | null | undefined): Handshake {
  const room = query?.room ?? LIMITS.defaultRoom;
  if (!LIMITS.roomPattern.test(room)) {
    throw new ProtocolError(ERROR_CODES.invalidRoom, `Invalid room "${room.slice(0, 60)}": ${ROOM_RULE}`);
  }
  const key = query?.key;
  // The key is a secret: the error (which is logged) never repeats it.
  if (key !== undefined && !LIMITS.keyPattern.test(key)) throw new ProtocolError(ERROR_CODES.invalidKey, `Invalid key: ${KEY_RULE}`);
  const name = query?.name?.trim();
  if (name === undefined || name === '') return { room, name: undefined, key };
  const problem = nameProblem(name);
  if (problem !== undefined) throw new ProtocolError(ERROR_CODES.invalidName, `Invalid name: ${problem}`);
  return { room, name, key };
}
