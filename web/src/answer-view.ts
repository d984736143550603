import { el } from './dom';
import { timeElement } from './format';
import { renderMarkdown, safeUrl } from './markdown';
import type { AiFrame, Source, Usage } from './protocol';

/** A merged delta covers at most this many seqs (a bound on what one frame can make the page do). */
const MAX_MERGED_DELTAS = 10_000;

type AnswerState = 'thinking' | 'streaming' | 'done' | 'error';

type Start = Extract<AiFrame, { state: 'start' }>;
type End = Extract<AiFrame, { state: 'end' }>;
type Failure = Extract<AiFrame, { state: 'error' }>;

/**
 * One answer of the bot as it grows: "thinking" until the first token, then the text rendered as Markdown on every
 * delta with a blinking cursor, then the final text from `end` (which repairs any delta this page missed, e.g. when
 * it joined mid-answer), its sources as numbered links and which model answered. An `error` keeps the partial text
 * and says plainly that the answer failed.
 */
export class AnswerView {
  public readonly element: HTMLLIElement;
  public state: AnswerState = 'thinking';
  public replyTo: string | undefined;
  private readonly parts = new Map<number, string>();
  private finalText: string | undefined;
  private sources: Source[] = [];
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly anchorPrefix: string;
  private model: string | undefined;
  private target: string | undefined;

  public constructor(public readonly id: string) {
    this.anchorPrefix = `src-${id.replace(/[^A-Za-z0-9_-]/g, '')}-`;
    this.header = el('div', 'meta');
    this.body = el('div', 'body markdown');
    this.footer = el('div', 'answer-footer');
    this.element = el('li', 'message bot', this.header, this.body, this.footer);
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

  public start(frame: Start): void {
    if (this.done) return;
    this.replyTo = frame.replyTo ?? this.replyTo;
    this.model = frame.model;
    this.target = frame.target;
    this.renderHeader(frame.ts);
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
    return true;
  }

  public end(frame: End): void {
    this.replyTo = frame.replyTo ?? this.replyTo;
    this.model = frame.model ?? this.model;
    this.target = frame.target ?? this.target;
    this.finalText = frame.text;
    this.sources = frame.sources ?? [];
    this.state = 'done';
    this.renderHeader(frame.ts);
    this.render();
    this.renderFooter(frame.usage, frame.firstTokenMs, frame.stopReason);
  }

  public fail(frame: Failure): void {
    this.replyTo = frame.replyTo ?? this.replyTo;
    this.finalText = frame.text !== '' ? frame.text : this.text;
    this.state = 'error';
    this.element.classList.add('failed');
    this.renderHeader(frame.ts);
    this.render();
    // The message is a plain public sentence (docs/protocol.md): shown as it is.
    this.footer.replaceChildren(el('p', 'answer-error', frame.message));
  }

  private renderHeader(ts: number | undefined): void {
    const model = [this.model, this.target && this.target !== this.model ? `via ${this.target}` : undefined].filter(Boolean).join(' ');
    this.header.replaceChildren(
      el('span', 'author', 'Bot'),
      ...(model ? [el('span', 'model', model)] : []),
      ...(ts !== undefined ? [timeElement(ts)] : []),
    );
  }

  private render(): void {
    const streaming = !this.done;
    this.element.classList.toggle('streaming', streaming);
    this.element.setAttribute('aria-busy', String(streaming));
    const citationHref = (n: number): string | undefined =>
      n >= 1 && n <= this.sources.length ? `#${this.anchorPrefix}${n}` : undefined;
    const text = this.text;
    if (this.state === 'thinking' && text === '') {
      this.body.replaceChildren(el('p', 'thinking', 'Thinking', el('span', 'cursor')));
      return;
    }
    this.body.replaceChildren(renderMarkdown(text, { citationHref }));
    if (streaming) lastTextBlock(this.body).append(el('span', 'cursor'));
  }

  private renderFooter(usage: Usage | undefined, firstTokenMs: number | undefined, stopReason: string | undefined): void {
    const children: Node[] = [];
    if (this.sources.length > 0) {
      const list = el('ol', 'sources');
      list.setAttribute('aria-label', 'Sources');
      this.sources.forEach((source, index) => {
        const item = el('li');
        item.id = `${this.anchorPrefix}${index + 1}`;
        const href = safeUrl(source.source);
        const title = href ? el('a', undefined, source.title) : el('span', 'title', source.title);
        if (title instanceof HTMLAnchorElement) {
          title.href = href!;
          title.target = '_blank';
          title.rel = 'noopener noreferrer nofollow';
        }
        item.append(el('span', 'number', `[${index + 1}]`), ' ', title);
        if (!href && source.source && source.source !== source.title) item.append(' ', el('span', 'where', source.source));
        if (source.snippet) {
          // One line per source; the whole passage is in the tooltip.
          item.title = source.snippet;
          item.append(' ', el('span', 'snippet', source.snippet.length > 200 ? `${source.snippet.slice(0, 200)}…` : source.snippet));
        }
        list.append(item);
      });
      children.push(el('p', 'sources-label', 'Sources'), list);
    }
    const facts = [
      stopReason === 'max_length' ? 'cut at the maximum answer length' : undefined,
      firstTokenMs !== undefined ? `first token ${Math.round(firstTokenMs)} ms` : undefined,
      usage?.inputTokens !== undefined && usage.outputTokens !== undefined
        ? `${usage.inputTokens} → ${usage.outputTokens} tokens`
        : undefined,
    ].filter((fact): fact is string => fact !== undefined);
    if (facts.length > 0) children.push(el('p', 'facts', facts.join(' · ')));
    this.footer.replaceChildren(...children);
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
