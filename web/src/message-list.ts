/** How close to the bottom (px) still counts as "reading the newest messages". */
const PINNED_SLACK_PX = 48;

/**
 * The message list: keeps items in message-id order (ids sort in time order, so a gap filled from history lands where
 * it belongs), follows new messages while the reader is at the bottom, and offers a "new messages" jump when they have
 * scrolled up to read.
 */
export class MessageList {
  private readonly byId = new Map<string, HTMLElement>();
  private pinned = true;
  private unseen = 0;

  public constructor(
    private readonly scroller: HTMLElement,
    private readonly list: HTMLElement,
    private readonly jump: HTMLButtonElement,
  ) {
    scroller.addEventListener(
      'scroll',
      () => {
        this.pinned = this.atBottom();
        if (this.pinned) this.hideJump();
      },
      { passive: true },
    );
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
   * reader is scrolled up (history filled into a gap is not new to them).
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
      this.list.insertBefore(item, before);
    }
    this.changed(isNew);
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
