import { mentionsBot } from '../../lambdas/message/mentions-bot';
import { LIMITS } from '../../lambdas/shared/protocol/limits';
import type { Announcer } from './announcer';
import { AnswerView, type AnswerHooks } from './answer-view';
import { addCodeCopyButtons } from './copy-button';
import { DepartureGrace } from './departure-grace';
import { el } from './dom';
import type { DraftsView } from './drafts-view';
import { timeElement } from './format';
import { renderMarkdown } from './markdown';
import type { MessageList } from './message-list';
import type { PeopleView } from './people-view';
import type {
  AiFrame,
  Author,
  BotInfo,
  ClientFrame,
  ErrorFrame,
  HistoryFrame,
  HistoryMessage,
  PresenceFrame,
  ServerFrame,
  SystemFrame,
  UserMessage,
  WelcomeFrame,
} from './protocol';

export interface ChatRoomViews {
  readonly list: MessageList;
  readonly drafts: DraftsView;
  readonly announcer: Announcer;
  readonly people: PeopleView;
  /** `members`, when the server says who is online (the welcome). */
  readonly showOnline: (count: number, members?: readonly Author[]) => void;
  readonly showMe: (me: Author) => void;
  /** Called when the room (re)welcomed this page: the composer re-sends its draft. */
  readonly onWelcome: () => void;
  /** Whether the room has messages older than those shown ("Load older"). */
  readonly showOlder: (available: boolean) => void;
}

interface Pending {
  readonly text: string;
  readonly sentAt: number;
  element: HTMLElement;
}

/** A gap is filled from history at most this many pages (of 100) back; older than that is ancient history. */
const MAX_GAP_PAGES = 10;
const GAP_PAGE_SIZE = 100;
/** "Thinking" under a question gives up quietly after this long without an answer starting. */
const THINKING_TIMEOUT_MS = 30_000;
/** After a notice (the bot is over a budget) it declines quietly for the rest of the minute: no "thinking" meanwhile. */
const QUIET_AFTER_NOTICE_MS = 60_000;
/** A message sent just before a drop and not in the room's history this long after the rejoin was not sent. */
const UNCONFIRMED_AFTER_REJOIN_MS = 5_000;
/** A message the room has not confirmed this long after it was sent is shown as not sent, with Retry. */
const UNCONFIRMED_AFTER_MS = 10_000;

/**
 * What the page knows about the room, fed by server frames: messages deduplicated by id and kept in id order, the
 * bot's answers as they stream, presence, drafts, and the page's own sends from "sending" to confirmed (by
 * `clientMsgId`) or failed. After a reconnect it fills the gap from history until it reaches the newest message it
 * had, so nothing is lost and nothing shows twice.
 */
export class ChatRoom {
  private readonly myIds = new Set<string>();
  private readonly answers = new Map<string, AnswerView>();
  private readonly pending = new Map<string, Pending>();
  private readonly thinking = new Map<string, { element: HTMLElement; timer: ReturnType<typeof setTimeout> }>();
  private newestId: string | undefined;
  private gap: { floor: string; pages: number } | undefined;
  /** Where the next older page starts (the server's cursor), while there is one; `loadingOlder` while it is asked. */
  private olderCursor: string | undefined;
  private loadingOlder = false;
  private welcomed = false;
  private sendCount = 0;
  private myName = 'You';
  /** This page's own messages (a Stop button shows on answers to them), and the answer it asked to stop. */
  private readonly myMessages = new Set<string>();
  private stopping: string | undefined;
  private quietUntil = 0;
  /** The room's online count as last told (a departure told after its grace says the count by then). */
  private online = 0;
  private readonly departures = new DepartureGrace((left) => this.tellPresence([], left, []));
  /** Who the bot is and when it answers (the welcome says; a server that does not say answers every message). */
  private bot: BotInfo | undefined;
  private readonly answerHooks: AnswerHooks = {
    asked: (replyTo) => this.myMessages.has(replyTo),
    asker: (replyTo) => this.views.list.get(replyTo)?.querySelector('.author')?.textContent ?? undefined,
    stop: (id) => {
      this.stopping = id;
      this.send({ action: 'stopAnswer', id });
    },
  };

  public constructor(
    private readonly views: ChatRoomViews,
    private readonly send: (frame: ClientFrame) => boolean,
  ) {}

  public handle(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        return this.onWelcome(frame);
      case 'history':
        return this.onHistory(frame);
      case 'user':
        return this.addUser(frame, true);
      case 'typing':
        if (!this.myIds.has(frame.author.id)) this.views.drafts.update(frame.author, frame.text, frame.ts);
        return;
      case 'system':
        return this.onSystem(frame);
      case 'presence':
        return this.onPresence(frame);
      case 'ai':
        return this.addAi(frame, true);
      case 'error':
        return this.onError(frame);
    }
  }

  /** Sends a message and shows it at once as "sending"; false when disconnected. */
  public sendMessage(text: string): boolean {
    this.sendCount += 1;
    const clientMsgId = `c-${Date.now().toString(36)}-${this.sendCount}-${Math.random().toString(36).slice(2, 8)}`;
    if (!this.send({ action: 'sendMessage', text, clientMsgId })) return false;
    const element = messageElement('own', this.myName, text, undefined);
    element.classList.add('pending');
    element.querySelector('.meta')!.append(el('span', 'state', 'Sending…'));
    this.views.list.add(element);
    this.pending.set(clientMsgId, { text, sentAt: Date.now(), element });
    setTimeout(() => {
      if (this.pending.get(clientMsgId)?.element === element) this.failPending(clientMsgId, 'the room did not answer');
    }, UNCONFIRMED_AFTER_MS);
    return true;
  }

  /** Asks for the page of messages older than those shown; false when there is none or it is already asked for. */
  public loadOlder(): boolean {
    if (this.olderCursor === undefined || this.loadingOlder) return false;
    this.loadingOlder = this.send({ action: 'history', before: this.olderCursor, limit: LIMITS.historyDefaultLimit });
    return this.loadingOlder;
  }

  /** Whether a person is this page: one of its author ids, or its name (which nobody else in the room may have). */
  public isMe(person: Author): boolean {
    return this.myIds.has(person.id) || person.name === this.myName;
  }

  /** Shows a notice in the list (not from the server): a bad URL parameter, a name that cannot be used. */
  public notice(text: string, kind: 'system' | 'error' = 'system'): void {
    this.views.list.add(el('li', `notice ${kind}`, text));
  }

  private onWelcome(frame: WelcomeFrame): void {
    // What this page had before a rejoin; a page welcomed into an empty room had nothing, so all is new to it.
    const resumedFrom = this.welcomed ? (this.newestId ?? '') : undefined;
    const first = !this.welcomed;
    this.welcomed = true;
    this.myIds.add(frame.you.id);
    this.myName = frame.you.name;
    this.bot = frame.bot;
    this.views.showMe(frame.you);
    this.online = frame.online;
    this.views.showOnline(frame.online, frame.members);
    this.views.people.reset(frame.members, frame.online);
    this.departures.clear();
    for (const message of frame.history) this.addHistory(message);
    const oldest = frame.history[0]?.id;
    // The welcome holds the newest messages that fit: if what we had is older than all of them, page back to it.
    if (resumedFrom !== undefined && oldest && oldest > resumedFrom && frame.cursor !== undefined) {
      this.fillGap(frame.cursor, resumedFrom);
    }
    // A page of older messages asked for on a connection that dropped will not come: it can be asked for again.
    if (first || this.loadingOlder) this.setOlder(first ? frame.cursor : this.olderCursor);
    this.loadingOlder = false;
    if (first) {
      this.views.list.scrollToBottom();
      this.views.announcer.say(`Joined #${frame.room} as ${frame.you.name}. ${frame.online} online.`);
    } else {
      // (The connection state itself is announced by the status line.)
      const welcomedAt = Date.now();
      setTimeout(() => {
        for (const [clientMsgId, pending] of this.pending) {
          if (pending.sentAt < welcomedAt) this.failPending(clientMsgId, 'the connection dropped before the room confirmed it');
        }
      }, UNCONFIRMED_AFTER_REJOIN_MS);
    }
    this.views.onWelcome();
  }

  private onHistory(frame: HistoryFrame): void {
    const newestBefore = this.welcomed ? (this.newestId ?? '') : undefined;
    const unknown = frame.messages.filter((message) => !this.knows(message.id));
    const add = () => frame.messages.forEach((message) => this.addHistory(message));
    if (this.loadingOlder && !this.gap) this.views.list.addAbove(add);
    else add();
    const oldest = frame.messages[0]?.id;
    const newest = frame.messages.at(-1)?.id;
    if (this.loadingOlder && !this.gap && (newest === undefined || (this.olderCursor !== undefined && newest < this.olderCursor))) {
      this.loadingOlder = false;
      this.setOlder(frame.cursor);
      return;
    }
    if (this.gap) {
      if (oldest && oldest > this.gap.floor && frame.cursor !== undefined && this.gap.pages < MAX_GAP_PAGES) {
        this.gap.pages += 1;
        this.send({ action: 'history', before: frame.cursor, limit: GAP_PAGE_SIZE });
      } else {
        this.gap = undefined;
      }
      return;
    }
    // The keep-alive's one newest message doubles as a check: newer than anything we had means we missed some.
    if (newestBefore !== undefined && unknown.length > 0 && oldest && oldest > newestBefore && frame.cursor !== undefined) {
      this.fillGap(frame.cursor, newestBefore);
    }
  }

  private setOlder(cursor: string | undefined): void {
    this.olderCursor = cursor;
    this.views.showOlder(cursor !== undefined);
  }

  private fillGap(before: string, floor: string): void {
    this.gap = { floor, pages: 1 };
    this.send({ action: 'history', before, limit: GAP_PAGE_SIZE });
  }

  private knows(id: string): boolean {
    return this.views.list.has(id);
  }

  private addHistory(message: HistoryMessage): void {
    if (message.type === 'user') this.addUser(message, false);
    else this.addAi(message, false);
  }

  private noteId(id: string): void {
    if (this.newestId === undefined || id > this.newestId) this.newestId = id;
  }

  private addUser(message: UserMessage, live: boolean): void {
    this.noteId(message.id);
    if (live) this.views.drafts.sent(message.author.id, message.ts);
    const own = this.myIds.has(message.author.id);
    const pending = message.clientMsgId !== undefined && own ? this.pending.get(message.clientMsgId) : undefined;
    if (this.knows(message.id)) return;
    const element = messageElement(own ? 'own' : 'other', message.author.name, message.text, message.ts);
    element.dataset.author = message.author.id;
    element.dataset.ts = String(message.ts);
    if (pending) {
      this.pending.delete(message.clientMsgId!);
      this.views.list.remove(pending.element);
    }
    this.views.list.add(element, message.id, live && !own);
    // Own by author id, so after a reload the page's earlier questions are still its own (Stop on their answers).
    if (own) this.myMessages.add(message.id);
    if (!live) return;
    if (own && Date.now() >= this.quietUntil && this.asksBot(message.text)) this.expectAnswer(message.id, element);
    else this.views.announcer.say(`${message.author.name}: ${message.text}`);
  }

  /** Whether the bot will answer this message (the server's own rule; a reply to an answer is asked by the composer). */
  private asksBot(text: string): boolean {
    return !this.bot || this.bot.replies === 'all' || mentionsBot(text, this.bot.name);
  }

  /** The page sent a question: "thinking" shows under it until the bot starts answering. */
  private expectAnswer(questionId: string, question: HTMLElement): void {
    if ([...this.answers.values()].some((answer) => answer.replyTo !== undefined && answer.replyTo >= questionId)) return;
    const element = el('li', 'message bot thinking-placeholder', el('div', 'meta', el('span', 'author', 'Bot')), el('p', 'thinking', 'Thinking', el('span', 'cursor')));
    element.setAttribute('aria-busy', 'true');
    this.views.list.addAfter(element, question);
    const timer = setTimeout(() => this.clearThinking(questionId, true), THINKING_TIMEOUT_MS);
    this.thinking.set(questionId, { element, timer });
  }

  /** Clears "thinking" for questions up to `upTo` (an answer can reply to several), or all of them. */
  private clearThinking(upTo: string | undefined, inclusive: boolean): void {
    for (const [questionId, { element, timer }] of this.thinking) {
      if (upTo !== undefined && (inclusive ? questionId > upTo : questionId >= upTo)) continue;
      clearTimeout(timer);
      this.views.list.remove(element);
      this.thinking.delete(questionId);
    }
  }

  private addAi(frame: AiFrame, live: boolean): void {
    this.noteId(frame.id);
    let answer = this.answers.get(frame.id);
    if (answer?.done && !live) return;
    if (!answer) {
      answer = new AnswerView(frame.id, this.answerHooks);
      this.answers.set(frame.id, answer);
      this.views.list.add(answer.element, frame.id, live);
    }
    const replyTo = 'replyTo' in frame ? frame.replyTo : undefined;
    // Questions asked before this answer began are being answered (or were answered together).
    if (replyTo) this.clearThinking(replyTo, true);
    else this.clearThinking(frame.id, false);
    const wasDone = answer.done;
    switch (frame.state) {
      case 'start':
        answer.start(frame);
        break;
      case 'delta':
        if (!answer.delta(frame.seq, frame.text, frame.seqEnd)) return;
        break;
      case 'end':
        answer.end(frame);
        if (live && !wasDone) this.views.announcer.say(`Bot: ${answer.spoken}`);
        break;
      case 'error':
        answer.fail(frame);
        if (live && !wasDone) this.views.announcer.say(`Bot: ${answer.spoken}`);
        break;
    }
    this.views.list.changed();
  }

  /** A notice to the room (e.g. the bot's budget notice): shown as it is, and it means no answer is coming. */
  private onSystem(frame: SystemFrame): void {
    // The bot's notices do not know who is online (they say 0): only a count from the room is shown.
    if (frame.online > 0) {
      this.online = frame.online;
      this.views.showOnline(frame.online);
    }
    this.views.list.add(el('li', 'notice system', frame.text));
    this.clearThinking(undefined, true);
    this.quietUntil = Date.now() + QUIET_AFTER_NOTICE_MS;
  }

  /**
   * At most one line (and one announcement) per presence frame, however many people it carries. Departures are told
   * after a grace (departure-grace.ts): someone back within it (a reload, a reconnect) is no news, unless renamed.
   */
  private onPresence(frame: PresenceFrame): void {
    this.online = frame.online;
    this.views.showOnline(frame.online);
    const change = this.views.people.apply(frame);
    for (const person of change.left) this.views.drafts.clear(person.id);
    const joined: Author[] = [];
    const renamed = [...change.renamed];
    for (const person of change.joined) {
      const before = this.departures.returned(person);
      if (before === undefined) joined.push(person);
      else if (before.name !== person.name) renamed.push([before.name, person.name]);
    }
    this.departures.hold(change.left);
    this.tellPresence(joined, [], renamed);
  }

  private tellPresence(joined: readonly Author[], left: readonly Author[], renamed: readonly (readonly [string, string])[]): void {
    const parts = [
      describePeople(joined, 'joined'),
      describePeople(left, 'left'),
      ...renamed.map(([from, to]) => [el('bdi', '', from), ' is now ', el('bdi', '', to)]),
    ].filter((part) => part.length > 0);
    if (parts.length === 0) return;
    const line = el('li', 'notice system');
    for (const [index, part] of parts.entries()) line.append(...(index > 0 ? ['; '] : []), ...part);
    // A rename changes nobody's presence, and its new connection briefly counts twice: only arrivals and departures say the count.
    line.append(joined.length + left.length > 0 ? `. ${this.online} online.` : '.');
    this.views.list.add(line, undefined, false);
    this.views.announcer.say(line.textContent ?? '');
  }

  private onError(frame: ErrorFrame): void {
    // Drafts are best effort: a refused one is no news to the typist (the composer sends only what the room accepts).
    if (frame.action === 'typing') return;
    if (frame.action === 'stopAnswer') {
      this.answers.get(this.stopping ?? '')?.stopRefused();
      const line = frame.code === 'forbidden' ? 'Only the person who asked can stop this answer.' : 'That answer had already ended.';
      this.views.list.add(el('li', 'notice system', line));
      return;
    }
    if (frame.code === 'rate_limited') {
      const message = 'You are sending too fast; wait a moment';
      if (frame.clientMsgId !== undefined && this.pending.has(frame.clientMsgId)) this.failPending(frame.clientMsgId, message);
      else {
        this.views.list.add(el('li', 'notice error', `${message}.`));
        this.views.announcer.say(`${message}.`);
      }
      return;
    }
    if (frame.clientMsgId !== undefined && this.pending.has(frame.clientMsgId)) {
      this.failPending(frame.clientMsgId, frame.message);
      return;
    }
    // API Gateway's own failure text ("Internal server error") is transport talk: say it plainly instead.
    const message = frame.code === 'gateway' ? 'The room could not handle that just now; try again' : frame.message;
    this.views.list.add(el('li', 'notice error', `Error: ${message}`));
    this.views.announcer.say(`Error: ${message}`);
  }

  private failPending(clientMsgId: string, reason: string): void {
    const pending = this.pending.get(clientMsgId);
    if (!pending) return;
    this.pending.delete(clientMsgId);
    const element = messageElement('own', this.myName, pending.text, undefined);
    element.classList.add('failed');
    const retry = el('button', 'link-button', 'Retry');
    retry.type = 'button';
    retry.addEventListener('click', () => {
      if (this.sendMessage(pending.text)) this.views.list.remove(element);
    });
    element.append(el('p', 'send-error', `Not sent: ${reason}. `, retry));
    pending.element.replaceWith(element);
    // Its Retry must not end up below the fold.
    this.views.list.grew();
    this.views.announcer.say(`Your message was not sent: ${reason}.`);
    // A late confirmation (the message did get through) still replaces it, by clientMsgId.
    this.pending.set(clientMsgId, { ...pending, element, sentAt: Number.POSITIVE_INFINITY });
  }

}

/** "Ann joined", "Ann and Bob joined", "Ann, Bob and 12 others joined", each name isolated in its own direction. */
function describePeople(people: readonly Author[], verb: string): (Node | string)[] {
  if (people.length === 0) return [];
  const names = people.slice(0, 2).map((person) => el('bdi', '', person.name));
  const rest = people.length - names.length;
  if (rest > 0) return [names[0]!, ', ', names[1]!, ` and ${rest} other${rest === 1 ? '' : 's'} ${verb}`];
  return names.length === 2 ? [names[0]!, ' and ', names[1]!, ` ${verb}`] : [names[0]!, ` ${verb}`];
}

/** A message; its author's name and its text each keep their own direction (`<bdi>`, `dir="auto"`). */
function messageElement(kind: 'own' | 'other', name: string, text: string, ts: number | undefined): HTMLElement {
  const meta = el('div', 'meta', el('bdi', 'author', name));
  if (ts !== undefined) meta.append(timeElement(ts));
  const body = el('div', 'body markdown');
  body.dir = 'auto';
  body.append(renderMarkdown(text));
  addCodeCopyButtons(body);
  return el('li', `message ${kind}`, meta, body);
}
