import { el } from './dom';
import type { Author, PresenceFrame } from './protocol';

/** What a presence frame changed, as people see it: who arrived, who went, who took another name. */
export interface PresenceChange {
  readonly joined: Author[];
  readonly left: Author[];
  readonly renamed: [from: string, to: string][];
}

/**
 * Who is online, by name (the welcome's members, then presence frames), as a list in the header's popover. A person
 * is their author id: a join under a known id with another name is a rename, and a leave while that id still has
 * another connection (a renamed, reloaded or crashed page's old connection) is no departure. The page's own ids are
 * never reported as leaving.
 */
export class PeopleView {
  private readonly names = new Map<string, string>();
  private readonly connections = new Map<string, number>();

  public constructor(
    private readonly list: HTMLElement,
    private readonly isMe: (person: Author) => boolean,
  ) {}

  public reset(members: readonly Author[], online: number): void {
    this.names.clear();
    this.connections.clear();
    for (const member of members) this.arrive(member);
    this.render(online);
  }

  public apply(frame: PresenceFrame): PresenceChange {
    const change: PresenceChange = { joined: [], left: [], renamed: [] };
    for (const person of frame.joined) {
      const known = this.names.get(person.id);
      this.arrive(person);
      if (this.isMe(person)) continue;
      if (known === undefined) change.joined.push(person);
      else if (known !== person.name) change.renamed.push([known, person.name]);
    }
    // Someone the welcome did not list (it names at most 100) still left.
    for (const person of frame.left) {
      const remaining = (this.connections.get(person.id) ?? 0) - 1;
      if (this.isMe(person)) continue;
      if (remaining > 0) {
        this.connections.set(person.id, remaining);
        continue;
      }
      this.names.delete(person.id);
      this.connections.delete(person.id);
      change.left.push(person);
    }
    this.render(frame.online);
    return change;
  }

  private arrive(person: Author): void {
    this.names.set(person.id, person.name);
    this.connections.set(person.id, (this.connections.get(person.id) ?? 0) + 1);
  }

  /** Names in alphabetical order, the page's own marked; those the server did not name counted at the end. */
  private render(online: number): void {
    const people = [...this.names].sort(([, a], [, b]) => a.localeCompare(b));
    const items = people.map(([id, name]) => el('li', '', el('bdi', '', name), this.isMe({ id, name }) ? ' (you)' : ''));
    const unnamed = online - people.length;
    if (unnamed > 0) items.push(el('li', '', `and ${unnamed} more`));
    this.list.replaceChildren(...items);
  }
}
