import type { ConnectionStatus } from './chat-connection';

// Short, so the header keeps its layout whatever the state (the countdown and Retry sit beside them).
const LABELS = {
  connecting: 'Connecting…',
  online: 'Connected',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
  unanswered: 'Room did not answer',
  refused: 'Cannot reach the room',
} as const;

/**
 * The connection state, always visible in the header (a polite live region, so a change is read out once), with a
 * countdown to the next attempt and "Retry now" while reconnecting. The countdown itself is not announced.
 */
export class StatusView {
  private timer: ReturnType<typeof setInterval> | undefined;

  public constructor(
    private readonly root: HTMLElement,
    private readonly label: HTMLElement,
    private readonly countdown: HTMLElement,
    private readonly retry: HTMLButtonElement,
  ) {}

  public show(status: ConnectionStatus): void {
    clearInterval(this.timer);
    this.root.dataset.state = status.state;
    const label = LABELS[(status.state === 'reconnecting' && status.failed) || status.state];
    if (this.label.textContent !== label) this.label.textContent = label;
    this.retry.hidden = status.state !== 'reconnecting' && status.state !== 'offline';
    this.countdown.textContent = '';
    if (status.state !== 'reconnecting') return;
    const tick = (): void => {
      const seconds = Math.ceil((status.retryAt - Date.now()) / 1000);
      this.countdown.textContent = seconds > 0 ? ` · ${seconds} s` : '…';
    };
    tick();
    this.timer = setInterval(tick, 1000);
  }
}
