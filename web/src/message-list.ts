import { el } from './dom';
import { dayLabel } from './format';

/** How close to the bottom (px) still counts as "reading the newest messages". */
const PINNED_SLACK_PX = 48;
/** Scrolled this close to the top, the older page is asked for. */
const TOP_SLACK_PX = 80;
/** One person's messages this close together show their name and time once. */
const GROUP_WITHIN_MS = 5 * 60_000;

/**
 * The message list: keeps items in message-id order (ids sort in time order, so a gap filled from history lands where
 * it belongs), follows new messages while the reader is at the bottom, and offers a "new messages" jump when they have
 * scrolled up to read.
 */
export class MessageList {
  private readonly byId = new Map<string, HTMLElement>();
  private pinned = true;
  private unseen = 0;

  /** `onTop`: the reader scrolled to the top (load older messages). */
  public constructor(
    private readonly scroller: HTMLElement,
    private readonly list: HTMLElement,
    private readonly jump: HTMLButtonElement,
    onTop: () => void = () => undefined,
  ) {
    scroller.addEventListener(
      'scroll',
      () => {
        this.pinned = this.atBottom();
        if (this.pinned) this.hideJump();
        if (scroller.scrollTop < TOP_SLACK_PX && scroller.scrollHeight > scroller.clientHeight) onTop();
      },
      { passive: true },
    );
    // A phone keyboard opening shrinks the visual viewport (iOS does not resize the page): stay at the bottom.
    visualViewport?.addEventListener('resize', () => {
      if (this.pinned) requestAnimationFrame(() => this.scrollToBottom());
    });
    jump.addEventListener('click', () => {
      this.scrollToBottom();
      this.list.focus({ preventScroll: true });
    });
    // The composer growing, a phone keyboard opening: stay at the bottom if that is where the reader was.
    new ResizeObserver(() => {
      if (this.pinned) this.scrollToBottom();
    }).observe(scroller);
  }

  public get(id: string): HTMLElement | undefined {
    return this.byId.get(id);
  }

  public has(id: string): boolean {
    return this.byId.has(id);
  }

  /**
   * Adds an item: by `id` order when it has one, else at the end. `isNew` counts it towards "new messages" when the
   * reader is scrolled up (history filled into a gap is not new to them). An item with `data-ts` gets a day line when
   * its day differs from the message before it, and one with `data-author` too is grouped with the message before it
   * when both are that author's and close in time.
   */
  public add(item: HTMLElement, id?: string, isNew = true): void {
    if (id === undefined) {
      this.list.append(item);
    } else {
      item.dataset.id = id;
      this.byId.set(id, item);
      let before: Element | null = null;
      for (let child = this.list.lastElementChild; child; child = child.previousElementSibling) {
        const other = (child as HTMLElement).dataset.id;
        if (other === undefined || child === item) continue;
        if (other > id) before = child;
        else break;
      }
      // A day line belongs to the message after it: an older message goes above it.
      if (before?.previousElementSibling?.classList.contains('day')) before = before.previousElementSibling;
      this.list.insertBefore(item, before);
      this.place(item);
      const next = item.nextElementSibling?.classList.contains('day') ? item.nextElementSibling.nextElementSibling : item.nextElementSibling;
      if (next) this.place(next as HTMLElement);
    }
    // Older messages paged in above (or a gap filled) are nothing new below: no "New messages" for them.
    if (isNew || this.pinned) this.changed(isNew);
  }

  /** Adds older messages above those shown without moving what the reader sees. */
  public addAbove(add: () => void): void {
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    add();
    if (!this.pinned) this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
  }

  /** Gives a message its day line (when its day differs from the dated item before it) and its place in a group. */
  private place(item: HTMLElement): void {
    const ts = Number(item.dataset.ts);
    if (!ts) return;
    const line = item.previousElementSibling;
    const hasLine = line?.classList.contains('day') === true;
    const previous = (hasLine ? line!.previousElementSibling : line) as HTMLElement | null;
    let dated = previous;
    while (dated && !dated.dataset.ts) dated = dated.previousElementSibling as HTMLElement | null;
    const previousTs = Number(dated?.dataset.ts);
    const day = dayLabel(ts);
    const sameDay = previousTs > 0 && dayLabel(previousTs) === day;
    if (sameDay) {
      if (hasLine) line!.remove();
    } else if (hasLine) line!.textContent = day;
    else item.before(el('li', 'day', day));
    const author = item.dataset.author;
    item.classList.toggle('grouped', sameDay && previous === dated && author !== undefined && previous?.dataset.author === author && ts - previousTs < GROUP_WITHIN_MS);
  }

  /** Puts an item right after another (e.g. "thinking" under a question). */
  public addAfter(item: HTMLElement, anchor: HTMLElement): void {
    anchor.after(item);
    this.changed(false);
  }

  public remove(item: HTMLElement): void {
    if (item.dataset.id !== undefined) this.byId.delete(item.dataset.id);
    item.remove();
  }

  /** Call after an item changed in place (an answer grew); follows it when pinned. */
  public changed(isNew = false): void {
    if (this.pinned) {
      this.scrollToBottom();
      return;
    }
    if (isNew) this.unseen += 1;
    this.jump.hidden = false;
    this.jump.textContent = this.unseen > 0 ? `${this.unseen} new message${this.unseen === 1 ? '' : 's'} ↓` : 'New messages ↓';
  }

  /** After an item grew in place with nothing new to read (a send marked not sent): stays at the bottom if the reader was there. */
  public grew(): void {
    if (this.pinned) this.scrollToBottom();
  }

  public scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.pinned = true;
    this.hideJump();
  }

  private atBottom(): boolean {
    const { scrollHeight, scrollTop, clientHeight } = this.scroller;
    return scrollHeight - scrollTop - clientHeight <= PINNED_SLACK_PX;
  }

  private hideJump(): void {
    this.unseen = 0;
    this.jump.hidden = true;
  }
}
