import { el } from './dom';

/** Reads short lines to screen-reader users through a polite live region (new messages, answers, connection). */
export class Announcer {
  public constructor(private readonly region: HTMLElement) {}

  public say(text: string): void {
    this.region.append(el('p', undefined, text.length > 300 ? `${text.slice(0, 300)}…` : text));
    while (this.region.childElementCount > 5) this.region.firstElementChild!.remove();
  }
}
