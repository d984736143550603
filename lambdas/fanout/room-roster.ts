import type { BusEvent } from '../shared/bus-event';
import type { ConnectionsStore, RoomMember } from '../shared/connections-store';

/**
 * Who a room's batch goes to: the room is queried once per batch, then the batch's own arrivals and departures are
 * applied in stream order instead of querying again (a join's record is only put after its connection is stored, so
 * the query already holds it; applying it again is harmless).
 */
export async function roomRoster(room: string, events: readonly BusEvent[], connections: ConnectionsStore): Promise<RoomMember[]> {
  const members = new Map((await connections.listRoom(room)).map((member) => [member.connectionId, member]));
  for (const { frame } of events) {
    if (frame.type !== 'member') continue;
    const { connectionId, connectedAt } = frame.member;
    if (frame.event === 'join') members.set(connectionId, { connectionId, connectedAt });
    else members.delete(connectionId);
  }
  return [...members.values()];
}
