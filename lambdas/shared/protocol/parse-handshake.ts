import { ERROR_CODES } from './error-codes';
import { LIMITS, ROOM_RULE } from './limits';
import { ProtocolError } from './protocol-error';
import { nameProblem } from './text';

export interface Handshake {
  room: string;
  /** Undefined when the client did not choose one; the server then picks a friendly random name. */
  name: string | undefined;
}

/** Validates the `room` and `name` query parameters of `ws(s)://HOST[/stage]?room=ROOM&name=NAME`. */
export function parseHandshake(query: Readonly<Record<string, string | undefined>> | null | undefined): Handshake {
  const room = query?.room ?? LIMITS.defaultRoom;
  if (!LIMITS.roomPattern.test(room)) {
    throw new ProtocolError(ERROR_CODES.invalidRoom, `Invalid room "${room.slice(0, 60)}": ${ROOM_RULE}`);
  }
  const name = query?.name?.trim();
  if (name === undefined || name === '') return { room, name: undefined };
  const problem = nameProblem(name);
  if (problem !== undefined) throw new ProtocolError(ERROR_CODES.invalidName, `Invalid name: ${problem}`);
  return { room, name };
}
