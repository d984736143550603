import { questionIdOf } from '../../lambdas/shared/answer-id';
import { el } from './dom';
import { timeElement } from './format';
import { addCodeCopyButtons, copyButton } from './copy-button';
import { renderMarkdown, safeUrl } from './markdown';
import type { AiFrame, Source, Usage } from './protocol';

/** A merged delta covers at most this many seqs (a bound on what one frame can make the page do). */
const MAX_MERGED_DELTAS = 10_000;

type AnswerState = 'thinking' | 'streaming' | 'done' | 'error';

type Start = Extract<AiFrame, { state: 'start' }>;
type End = Extract<AiFrame, { state: 'end' }>;
type Failure = Extract<AiFrame, { state: 'error' }>;

/** What the page says when an answer fails, by the frame's `code`; never the frame's own words. */
const FAILURES: { readonly [code: string]: string } = {
  unavailable: 'The bot could not answer right now. Try again in a moment.',
  interrupted: 'The bot could not finish this answer.',
};
const FAILED = 'The bot could not answer right now.';
const CUT = new Set(['max_tokens', 'length', 'max_length']);
/** While streaming the sources are not known yet: any marker up to this is a link (to where its source will be). */
const MAX_CITATION = 99;

export interface AnswerHooks {
  /** Whether `replyTo` is one of this page's own messages: then the answer can be stopped from here. */
  readonly asked: (replyTo: string) => boolean;
  /** The name of whoever wrote `replyTo`, when the page knows it. */
  readonly asker: (replyTo: string) => string | undefined;
  readonly stop: (id: string) => void;
}

/**
 * One answer of the bot as it grows: "thinking" until the first token, then the text rendered as Markdown on every
 * delta with a blinking cursor (citations are links already), then the final text from `end` (which repairs any
 * delta this page missed, e.g. when it joined mid-answer), the sources it cites (each opening its passage), and the
 * model, timing and tokens behind "Details". A failure keeps the partial text and says plainly that it failed.
 */
export class AnswerView {
  public readonly element: HTMLLIElement;
  public state: AnswerState = 'thinking';
  public replyTo: string | undefined;
  private readonly parts = new Map<number, string>();
  private finalText: string | undefined;
  private sources: Source[] = [];
  private readonly cited = new Set<number>();
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly anchorPrefix: string;
  private model: string | undefined;
  private target: string | undefined;
  private stopButton: HTMLButtonElement | undefined;

  public constructor(
    public readonly id: string,
    private readonly hooks: AnswerHooks,
  ) {
    // An answer's id is derived from the question it replies to (docs/protocol.md, Ids): known before its `start`,
    // so a page that joined or reloaded mid-answer still says who asked, and its asker can still stop it.
    this.replyTo = questionIdOf(id);
    this.anchorPrefix = `src-${id.replace(/[^A-Za-z0-9_-]/g, '')}-`;
    this.header = el('div', 'meta');
    this.body = el('div', 'body markdown');
    this.body.dir = 'auto';
    this.footer = el('div', 'answer-footer');
    this.element = el('li', 'message bot', this.header, this.body, this.footer);
    this.body.addEventListener('click', (event) => this.openCitation(event));
    this.renderHeader(undefined);
    this.render();
  }

  public get done(): boolean {
    return this.state === 'done' || this.state === 'error';
  }

  /** The answer's text as this page knows it. */
  public get text(): string {
    if (this.finalText !== undefined) return this.finalText;
    const seqs = [...this.parts.keys()].sort((a, b) => a - b);
    let text = seqs.length > 0 && seqs[0] > 1 ? '… ' : '';
    seqs.forEach((seq, index) => {
      // A hole (deltas this page missed): shown as such until `end` brings the whole text.
      if (index > 0 && seq !== seqs[index - 1] + 1) text += ' … ';
      text += this.parts.get(seq);
    });
    return text;
  }

  /** The answer as a listener hears it: the rendered text (no Markdown marks) and how it ended. */
  public get spoken(): string {
    const note = this.footer.querySelector('.answer-note')?.textContent;
    return [this.body.innerText.trim(), note].filter(Boolean).join(' ');
  }

  public start(frame: Start): void {
    if (this.done) return;
    this.replyTo = frame.replyTo || this.replyTo;
    this.model = frame.model;
    this.target = frame.target;
    this.renderHeader(frame.ts);
    this.renderStop();
  }

  /**
   * Returns false for a delta already seen (delivery is at least once) or arriving after the end. A merged delta
   * covers seq..seqEnd: its text sits at seq and the seqs it swallowed are known (empty), so no hole shows.
   */
  public delta(seq: number, text: string, seqEnd = seq): boolean {
    if (this.done || this.parts.has(seq)) return false;
    this.parts.set(seq, text);
    for (let covered = seq + 1; covered <= Math.min(seqEnd, seq + MAX_MERGED_DELTAS); covered += 1) this.parts.set(covered, '');
    this.state = 'streaming';
    this.render();
    this.renderStop();
    return true;
  }

  public end(frame: End): void {
    this.replyTo = frame.replyTo || this.replyTo;
    this.model = frame.model || this.model;
    this.target = frame.target ?? this.target;
    this.finalText = frame.text;
    this.sources = frame.sources ?? [];
    this.state = 'done';
    this.renderHeader(frame.ts);
    this.render();
    this.renderFooter(frame.usage, frame.firstTokenMs, frame.stopReason);
  }

  public fail(frame: Failure): void {
    this.replyTo = frame.replyTo || this.replyTo;
    this.finalText = frame.text !== '' ? frame.text : this.text;
    this.state = 'error';
    this.element.classList.add('failed');
    this.renderHeader(frame.ts);
    this.render();
    this.footer.replaceChildren(el('p', 'answer-note answer-error', FAILURES[frame.code] ?? FAILED));
  }

  /** The room said this answer cannot be stopped (it ended, or someone else asked). */
  public stopRefused(): void {
    this.stopButton?.remove();
  }

  private renderHeader(ts: number | undefined): void {
    this.header.replaceChildren(el('span', 'author', 'Bot'), ...(ts ? [timeElement(ts)] : []));
  }

  /** Stop, on a streaming answer to one of this page's questions. */
  private renderStop(): void {
    if (this.done || this.stopButton || !this.replyTo || !this.hooks.asked(this.replyTo)) return;
    const button = el('button', 'stop', 'Stop');
    button.type = 'button';
    button.setAttribute('aria-label', 'Stop this answer');
    button.addEventListener('click', () => {
      button.disabled = true;
      button.textContent = 'Stopping…';
      this.hooks.stop(this.id);
    });
    this.stopButton = button;
    this.footer.replaceChildren(el('div', 'answer-actions', button));
  }

  private render(): void {
    const streaming = !this.done;
    this.element.classList.toggle('streaming', streaming);
    this.element.setAttribute('aria-busy', String(streaming));
    const text = this.text;
    if (this.state === 'thinking' && text === '') {
      this.body.replaceChildren(el('p', 'thinking', 'Thinking', el('span', 'cursor')));
      return;
    }
    this.cited.clear();
    const citationHref = (n: number): string | undefined => {
      if (n < 1 || n > (streaming ? MAX_CITATION : this.sources.length)) return undefined;
      this.cited.add(n);
      return `#${this.anchorPrefix}${n}`;
    };
    this.body.replaceChildren(renderMarkdown(text, { citationHref }));
    if (streaming) lastTextBlock(this.body).append(el('span', 'cursor'));
    else addCodeCopyButtons(this.body);
  }

  /** A citation opens its source's passage (and moves focus there) instead of only jumping to it. */
  private openCitation(event: MouseEvent): void {
    const link = (event.target as Element).closest('a.citation');
    if (!link) return;
    event.preventDefault();
    const item = this.footer.querySelector<HTMLElement>(`[id="${link.getAttribute('href')!.slice(1)}"]`);
    const details = item?.querySelector('details');
    if (!details) return;
    details.open = true;
    details.querySelector('summary')!.focus();
  }

  private renderFooter(usage: Usage | undefined, firstTokenMs: number | undefined, stopReason: string | undefined): void {
    const children: Node[] = [];
    const asker = this.replyTo ? this.hooks.asker(this.replyTo) : undefined;
    if (stopReason === 'stopped') children.push(el('p', 'answer-note', ...(asker ? ['Stopped by ', el('bdi', undefined, asker), '.'] : ['Stopped.'])));
    else if (stopReason && CUT.has(stopReason)) children.push(el('p', 'answer-note', 'Cut at the maximum length.'));
    const cited = this.sources.map((source, index) => ({ source, n: index + 1 })).filter(({ n }) => this.cited.has(n));
    if (cited.length > 0) {
      const list = el('ol', 'sources');
      list.setAttribute('aria-label', 'Sources');
      for (const { source, n } of cited) list.append(this.sourceItem(source, n));
      children.push(list);
    }
    const facts = [
      this.model ? `${this.model}${this.target && this.target !== this.model ? ` (${this.target})` : ''}` : undefined,
      firstTokenMs ? `first word after ${Math.round(firstTokenMs / 100) / 10} s` : undefined,
      usage ? `${usage.inputTokens} tokens in, ${usage.outputTokens} out` : undefined,
    ].filter((fact): fact is string => fact !== undefined);
    const actions = el('div', 'answer-actions', copyButton('Copy answer', () => this.text));
    if (facts.length > 0) actions.append(el('details', 'facts', el('summary', undefined, 'Details'), el('p', undefined, facts.join(' · '))));
    children.push(actions);
    this.stopButton = undefined;
    this.footer.replaceChildren(...children);
  }

  /** A cited source: its number and title, opening to the passage (rendered) and the document it comes from. */
  private sourceItem(source: Source, n: number): HTMLLIElement {
    const item = el('li');
    item.id = `${this.anchorPrefix}${n}`;
    const passage = el('div', 'passage markdown', renderMarkdown(source.snippet));
    passage.dir = 'auto';
    const href = safeUrl(source.source);
    const where = href ? el('a', undefined, source.source) : el('code', undefined, source.source);
    if (where instanceof HTMLAnchorElement) {
      where.href = href!;
      where.target = '_blank';
      where.rel = 'noopener noreferrer nofollow';
    }
    item.append(
      el(
        'details',
        undefined,
        el('summary', undefined, el('span', 'number', `[${n}]`), ' ', el('bdi', 'title', source.title)),
        passage,
        el('p', 'where', 'From ', where),
      ),
    );
    return item;
  }
}

const BLOCKS = new Set(['P', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'PRE', 'H3', 'H4', 'H5', 'H6', 'DIV', 'TABLE', 'TBODY', 'TR', 'TD']);

/** The innermost block the text ends in, so the cursor sits right after the last character. */
function lastTextBlock(root: HTMLElement): HTMLElement {
  let node: HTMLElement = root;
  for (;;) {
    const last = node.lastChild;
    const descend =
      last instanceof HTMLElement && (BLOCKS.has(last.tagName) || (last.tagName === 'CODE' && node.tagName === 'PRE'));
    if (!descend) return node;
    node = last;
  }
}
