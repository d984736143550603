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
/** A draft that is the start of what its author just sent, arriving this soon after, was overtaken by the send. */
const OVERTAKEN_WINDOW_MS = 3_000;
/** How much of a long draft is shown: its end, where the typing happens. */
const SHOWN_CHARACTERS = 160;

/** Other people's drafts, live under the message list: "Mia is typing: how do I dep…". */
export class DraftsView {
  private readonly drafts = new Map<string, Draft>();
  /**
   * Each author's last sent message. Their `typing` and `sendMessage` frames are handled by separate invocations, so
   * a draft can arrive just after the message it became: it must not bring the draft back.
   */
  private readonly lastSent = new Map<string, { text: string; at: number }>();

  public constructor(
    private readonly container: HTMLElement,
    private readonly onChange: () => void,
  ) {}

  public update(author: Author, text: string): void {
    const sent = this.lastSent.get(author.id);
    if (text === '' || (sent && Date.now() - sent.at < OVERTAKEN_WINDOW_MS && sent.text.startsWith(text))) {
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
    this.onChange();
  }

  /** The author sent a message: their draft is gone. */
  public sent(authorId: string, text: string): void {
    this.lastSent.set(authorId, { text, at: Date.now() });
    this.clear(authorId);
  }

  /** Presence tells names only: clears the drafts of everyone by that name (they left). */
  public clearByName(name: string): void {
    for (const [id, draft] of this.drafts) if (draft.name === name) this.clear(id);
  }

  public clear(authorId: string): void {
    const draft = this.drafts.get(authorId);
    if (!draft) return;
    clearTimeout(draft.expiry);
    draft.line.remove();
    this.drafts.delete(authorId);
    this.onChange();
  }
}
