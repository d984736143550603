import { announceDeparture } from '../shared/announce-departure';
import type { ConnectionsStore, RoomMember } from '../shared/connections-store';
import type { EventBus } from '../shared/event-bus';
import { logger } from '../shared/logger';
import type { NameClaims } from '../shared/name-claims';

// API Gateway refuses posts to a connection until its $connect returns, so a 410 for a connection registered moments
// ago means "not ready yet", not "gone".
export const GONE_GRACE_MS = 10_000;

/** Removes connections API Gateway answered 410 for (past the grace period), frees their names and announces that they left. */
export async function removeGone(
  gone: readonly RoomMember[],
  room: string,
  deps: { connections: ConnectionsStore; names: NameClaims; bus: EventBus },
): Promise<void> {
  const stale = gone.filter((member) => Date.now() - member.connectedAt > GONE_GRACE_MS);
  await Promise.all(
    stale.map(async (member) => {
      const removed = await deps.connections.remove(member.connectionId);
      logger.info('Removed a connection that is gone', { room, connectionId: member.connectionId });
      // Whoever removes it announces it, so a leave is announced once.
      if (removed) await announceDeparture(removed, deps);
    }),
  );
}
