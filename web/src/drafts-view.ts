import { el } from './dom';
import { tail } from './format';
import type { Author } from './protocol';

interface Draft {
  readonly name: string;
  readonly line: HTMLElement;
  expiry: ReturnType<typeof setTimeout>;
}

/** A draft nobody updated for this long is dropped (its author may have gone without clearing it). */
const DRAFT_TTL_MS = 30_000;
/** How much of a long draft is shown: its end, where the typing happens. */
const SHOWN_CHARACTERS = 160;
/** At most this many drafts are shown; the others are counted: "and 2 more typing". */
const SHOWN_DRAFTS = 3;

/** Other people's drafts, live under the message list: "Mia is typing: how do I dep…". */
export class DraftsView {
  private readonly drafts = new Map<string, Draft>();
  /**
   * Per author, the server time (`ts`) of the newest draft or message seen. Their frames are handled by separate
   * invocations, so they can arrive out of order: an older draft must not replace a newer one (a draft shrinking as
   * its author types on), nor bring back a draft that already became a message.
   */
  private readonly newest = new Map<string, number>();
  private readonly more = el('p', 'draft more');

  public constructor(
    private readonly container: HTMLElement,
    private readonly onChange: () => void,
  ) {}

  public update(author: Author, text: string, ts: number): void {
    if (!this.isNewest(author.id, ts)) return;
    if (text === '') {
      this.clear(author.id);
      return;
    }
    let draft = this.drafts.get(author.id);
    if (!draft) {
      const line = el('p', 'draft');
      draft = { name: author.name, line, expiry: setTimeout(() => undefined, 0) };
      this.drafts.set(author.id, draft);
      this.container.append(line);
    }
    clearTimeout(draft.expiry);
    draft.expiry = setTimeout(() => this.clear(author.id), DRAFT_TTL_MS);
    draft.line.replaceChildren(el('bdi', 'who', author.name), ' is typing: ', el('bdi', 'text', tail(text, SHOWN_CHARACTERS)));
    this.changed();
  }

  /** The author sent a message at `ts`: their draft is gone, and drafts older than the message stay gone. */
  public sent(authorId: string, ts: number): void {
    if (this.isNewest(authorId, ts)) this.clear(authorId);
  }

  /** Records `ts` as the author's newest; false when something newer was already seen (the frame is stale). */
  private isNewest(authorId: string, ts: number): boolean {
    if (ts < (this.newest.get(authorId) ?? -Infinity)) return false;
    this.newest.set(authorId, ts);
    return true;
  }

  public clear(authorId: string): void {
    const draft = this.drafts.get(authorId);
    if (!draft) return;
    clearTimeout(draft.expiry);
    draft.line.remove();
    this.drafts.delete(authorId);
    this.changed();
  }

  /** The first drafts shown (the longest typed stay put), the rest counted on one line after them. */
  private changed(): void {
    let index = 0;
    for (const { line } of this.drafts.values()) line.hidden = index++ >= SHOWN_DRAFTS;
    const hidden = this.drafts.size - SHOWN_DRAFTS;
    this.more.textContent = `and ${hidden} more typing`;
    if (hidden > 0) this.container.append(this.more);
    else this.more.remove();
    this.onChange();
  }
}
