import type { ConnectionsStore, RoomMember } from '../shared/connections-store';

/** A room's connections, queried once per batch and room, and kept current as people join and leave. */
export class RoomMembers {
  private readonly cache = new Map<string, Promise<RoomMember[]>>();

  public constructor(private readonly connections: ConnectionsStore) {}

  public of(room: string): Promise<RoomMember[]> {
    let members = this.cache.get(room);
    if (!members) {
      members = this.connections.listRoom(room);
      members.catch(() => this.cache.delete(room));
      this.cache.set(room, members);
    }
    return members;
  }

  /** Someone joined or left: the next event for this room queries again. */
  public invalidate(room: string): void {
    this.cache.delete(room);
  }

  public async drop(room: string, connectionIds: ReadonlySet<string>): Promise<void> {
    const members = await this.of(room);
    this.cache.set(
      room,
      Promise.resolve(members.filter((member) => !connectionIds.has(member.connectionId))),
    );
  }
}
