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
/** How much of a long draft is shown at most: its end, where the typing happens (less when the line is narrower). */
const SHOWN_CHARACTERS = 160;
/** However narrow the line, this much of the draft's end is shown. */
const SHOWN_AT_LEAST = 12;
/** An average glyph's width, in em, for guessing how much of a draft fits its line (a little wide, so it fits). */
const AVERAGE_GLYPH_EM = 0.6;
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
    this.show(draft.line, author.name, text);
    this.changed();
  }

  /**
   * "<name> is typing: …<the draft's end>", as much of the end as fits the line. The line cuts what overflows at its
   * end, so a draft cut only there would show its beginning, and the words being typed would never show: start from a
   * guess by the line's width and shorten while it still overflows (a layout read or two per update).
   */
  private show(line: HTMLElement, name: string, text: string): void {
    const em = Number.parseFloat(getComputedStyle(line).fontSize) || 14;
    const guess = Math.floor(line.clientWidth / (em * AVERAGE_GLYPH_EM)) - Array.from(`${name} is typing: …`).length;
    let shown = line.clientWidth === 0 ? SHOWN_CHARACTERS : Math.max(SHOWN_AT_LEAST, Math.min(SHOWN_CHARACTERS, guess));
    const render = () => line.replaceChildren(el('bdi', 'who', name), ' is typing: ', el('bdi', 'text', tail(text, shown)));
    render();
    while (shown > SHOWN_AT_LEAST && line.scrollWidth > line.clientWidth) {
      shown = Math.max(SHOWN_AT_LEAST, Math.floor(shown * 0.8));
      render();
    }
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
