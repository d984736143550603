import { codePointLength, hasVisibleCharacter, withoutRefusedCharacters } from '../../lambdas/shared/protocol/text';
import { LIMITS } from '../../lambdas/shared/protocol/limits';
import type { Announcer } from './announcer';

export interface ComposerOptions {
  readonly form: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  readonly counter: HTMLElement;
  /** Shown when a send is tried while disconnected (the announcer says it too), until the connection is back. */
  readonly offlineNote: HTMLElement;
  readonly button: HTMLButtonElement;
  /** "Ask @bot": puts the bot's mention in front of the message. */
  readonly ask: HTMLButtonElement;
  readonly announcer: Announcer;
  /** Sends a message; false when it could not be sent (disconnected). */
  readonly onSend: (text: string) => boolean;
  readonly onDraft: (text: string) => void;
}

/** The counter shows from this many characters on. */
const COUNTER_FROM = LIMITS.textMaxLength - 500;

/**
 * The message box: Enter sends and Shift+Enter makes a new line with a keyboard; on a touch screen Enter makes a new
 * line and the Send button sends (a soft keyboard has no Shift+Enter). At most the protocol's 4000 characters (code
 * points, as the server counts) with a counter near the limit, and sending disabled while disconnected (the draft is
 * kept).
 */
export class Composer {
  private online = false;
  private warnedFull = false;
  private botName = 'bot';

  public constructor(private readonly options: ComposerOptions) {
    const { form, input, ask } = options;
    const touch = matchMedia('(pointer: coarse)');
    const enterHint = (): void => input.setAttribute('enterkeyhint', touch.matches ? 'enter' : 'send');
    touch.addEventListener('change', enterHint);
    enterHint();
    input.addEventListener('input', () => this.onInput());
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !touch.matches) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    ask.addEventListener('click', () => this.mentionBot());
    this.update();
  }

  public get draft(): string {
    return this.options.input.value;
  }

  public setOnline(online: boolean): void {
    this.online = online;
    if (online) this.options.offlineNote.hidden = true;
    this.update();
  }

  /** The bot's name as the room has it (welcome.bot): the Ask button mentions it. */
  public setBot(name: string): void {
    this.botName = name;
    this.options.ask.textContent = `Ask @${name}`;
  }

  private mentionBot(): void {
    const { input } = this.options;
    const mention = `@${this.botName}`;
    if (!input.value.toLowerCase().includes(mention.toLowerCase())) input.value = `${mention} ${input.value.trimStart()}`;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    this.onInput();
  }

  private submit(): void {
    const text = this.options.input.value;
    if (!hasVisibleCharacter(text)) return;
    if (!this.online) {
      this.options.offlineNote.hidden = false;
      this.options.announcer.say('Not connected: your message is kept and can be sent once the connection is back.');
      return;
    }
    if (!this.options.onSend(text)) return;
    this.options.input.value = '';
    this.onInput();
  }

  private onInput(): void {
    const { input } = this.options;
    // Characters the room refuses in messages and drafts (controls, bidi embeddings) go as soon as they are pasted.
    const readable = withoutRefusedCharacters(input.value);
    if (readable !== input.value) input.value = readable;
    if (codePointLength(input.value) > LIMITS.textMaxLength) {
      input.value = Array.from(input.value).slice(0, LIMITS.textMaxLength).join('');
      // Said once while the text stays at the limit, not on every key pressed against it.
      if (!this.warnedFull) this.options.announcer.say(`The limit is ${LIMITS.textMaxLength} characters.`);
      this.warnedFull = true;
    } else if (codePointLength(input.value) < LIMITS.textMaxLength) {
      this.warnedFull = false;
    }
    this.update();
    this.options.onDraft(input.value);
  }

  private update(): void {
    const { input, counter, button } = this.options;
    const length = codePointLength(input.value);
    counter.hidden = length < COUNTER_FROM;
    counter.textContent = `${length} / ${LIMITS.textMaxLength}`;
    counter.classList.toggle('full', length >= LIMITS.textMaxLength);
    // The room refuses a message with nothing visible (only spaces, zero-width or filler characters).
    button.disabled = !this.online || !hasVisibleCharacter(input.value);
    button.title = this.online ? 'Send' : 'Not connected';
    // Grow with the text, up to the CSS max-height.
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight + 2}px`;
  }
}
