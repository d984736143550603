import type { Author } from './protocol';

/** How long a departure waits to be told: a reload or a page reconnecting after a drop is back well within it. */
export const DEPARTURE_GRACE_MS = 5_000;

/**
 * Departures told only once the person has not come back for `graceMs`. A reload closes the old connection before
 * the new page connects, and a dropped network reconnects a moment later: told at once, each would read "Ann left"
 * then "Ann joined" to everyone in the room. Whoever left together is told together, less whoever came back.
 */
export class DepartureGrace {
  private readonly away = new Map<string, Author>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  public constructor(
    private readonly tell: (left: readonly Author[]) => void,
    private readonly graceMs = DEPARTURE_GRACE_MS,
  ) {}

  /** They left (their last connection is gone): told after the grace unless they come back. */
  public hold(people: readonly Author[]): void {
    if (people.length === 0) return;
    for (const person of people) this.away.set(person.id, person);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      // Someone who came back and left again is told by the later departure's timer, not this one.
      const gone = people.filter((person) => this.away.get(person.id) === person);
      for (const person of gone) this.away.delete(person.id);
      if (gone.length > 0) this.tell(gone);
    }, this.graceMs);
    this.timers.add(timer);
  }

  /** Someone arrived: who they were when they left, if that was within the grace (then nothing is news but a new name). */
  public returned(person: Author): Author | undefined {
    const before = this.away.get(person.id);
    this.away.delete(person.id);
    return before;
  }

  /** The page was welcomed again: what it knew of the room before is replaced, departures waiting included. */
  public clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.away.clear();
  }
}
