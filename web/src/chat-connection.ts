import { backoffDelay } from './backoff';
import { decodeServerMessage, type ClientFrame, type ServerFrame } from './protocol';

export type ConnectionStatus =
  | { readonly state: 'connecting' }
  | { readonly state: 'online' }
  /**
   * Waiting to reconnect; `retryAt` is when the next attempt starts (in the past while it is under way). `failed`
   * says why the last attempt did not get in: `unanswered` when it connected but the room never welcomed it (no
   * answer to `join`, or an error), `refused` when the handshake itself failed (a browser learns nothing more).
   */
  | { readonly state: 'reconnecting'; readonly retryAt: number; readonly failed?: 'unanswered' | 'refused' }
  /** The browser says there is no network; retrying as soon as it returns. */
  | { readonly state: 'offline' };

export interface ChatConnectionOptions {
  readonly room: string;
  /** @default - none: the server picks a friendly random name */
  readonly name?: string;
  /** The page's secret key (handshake `key`): the server derives this person's author id from it. @default - none: a new id per connection */
  readonly key?: string;
  /** Where the WebSocket URL is read at run time. @default 'config.json' next to the page */
  readonly configUrl?: string;
  readonly onFrame: (frame: ServerFrame) => void;
  readonly onStatus: (status: ConnectionStatus) => void;
  /**
   * When nothing was sent for this long, send a cheap `history` request (limit 1): API Gateway closes a connection
   * that has received no client message for 10 minutes. @default 5 minutes
   */
  readonly keepAliveAfterMs?: number;
  /** Replace the connection, without a gap, before API Gateway's 2-hour limit. @default 1 h 55 min, minus up to 2 min of jitter */
  readonly renewAfterMs?: number;
  /** A connection whose `join` is not answered with `welcome` this long after it is sent is given up and retried. @default 15 s */
  readonly joinTimeoutMs?: number;
}

interface Link {
  readonly socket: WebSocket;
  readonly openedAt: number;
  /** The handshake succeeded. */
  opened: boolean;
  /** Welcomed: the room accepted `join`. */
  joined: boolean;
  /** Closed or replaced: its frames and close no longer matter. */
  retired: boolean;
  /** Room frames that arrived before the welcome, delivered right after it. */
  readonly early: ServerFrame[];
}

/** WebSocket close code of a server (or API Gateway) going away. */
const GOING_AWAY = 1001;
/** Backoff attempt the retries start from after a `GOING_AWAY` close: 1-2 s with the default backoff. */
const GOING_AWAY_FIRST_ATTEMPT = 2;
const KEEP_ALIVE_CHECK_MS = 30_000;
const STANDBY_TIMEOUT_MS = 15_000;
/** A connection that answers nothing for this long after a probe is dead (half-open): replace it. */
const KEEP_ALIVE_ANSWER_MS = 15_000;
/** After the network comes back, a connection that survived must prove it within this long. */
const NETWORK_BACK_ANSWER_MS = 5_000;
/** A tab shown again after this long without a frame checks its connection. */
const VISIBLE_CHECK_AFTER_MS = 60_000;

/**
 * One chat connection that stays up: joins on open, reconnects after a drop with exponential backoff and jitter,
 * keeps the connection from idling out, and renews it before the 2-hour limit by opening the next connection first
 * (make before break), so a renewal or a rename loses no frame. The page sees frames from exactly one connection.
 */
export class ChatConnection {
  private readonly keepAliveAfterMs: number;
  private readonly renewAfterMs: number;
  private readonly joinTimeoutMs: number;
  private active: Link | undefined;
  private standby: Link | undefined;
  private connecting = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private lastSentAt = 0;
  private lastReceivedAt = 0;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private baseUrl: Promise<string> | undefined;
  private name: string | undefined;

  public constructor(private readonly options: ChatConnectionOptions) {
    this.keepAliveAfterMs = options.keepAliveAfterMs ?? 5 * 60_000;
    this.renewAfterMs = options.renewAfterMs ?? 115 * 60_000 - Math.random() * 120_000;
    this.joinTimeoutMs = options.joinTimeoutMs ?? 15_000;
    this.name = options.name;
  }

  public start(): void {
    this.options.onStatus({ state: 'connecting' });
    window.addEventListener('online', () => {
      // A connection that lived through a network change may be dead without knowing it.
      if (this.online) this.probe(NETWORK_BACK_ANSWER_MS);
      else this.retryNow();
    });
    window.addEventListener('offline', () => {
      if (!this.active) this.options.onStatus({ state: 'offline' });
    });
    window.addEventListener('pageshow', () => this.retryNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      if (this.online && Date.now() - this.lastReceivedAt > VISIBLE_CHECK_AFTER_MS) this.probe(NETWORK_BACK_ANSWER_MS);
      else this.retryNow();
    });
    setInterval(() => this.keepAlive(), KEEP_ALIVE_CHECK_MS);
    void this.connect();
  }

  /** True while the room has welcomed this connection and frames can be sent. */
  public get online(): boolean {
    return this.active?.joined === true && this.active.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a frame if online; false when it could not be sent. */
  public send(frame: ClientFrame): boolean {
    if (!this.online) return false;
    this.active!.socket.send(JSON.stringify(frame));
    this.lastSentAt = Date.now();
    return true;
  }

  /** Reconnects under a new name (the name is fixed at the handshake); the current connection stays until then. */
  public rename(name: string | undefined): void {
    this.name = name;
    if (this.active) void this.openStandby();
    else this.retryNow();
  }

  /** Skips the wait when disconnected (the Retry button, the network coming back, the tab becoming visible). */
  public retryNow(): void {
    if (this.active || this.connecting) return;
    void this.connect();
  }

  private async connect(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.connecting = true;
    let url: string;
    try {
      url = await this.url();
    } catch (error) {
      console.warn('Could not read config.json:', error);
      this.baseUrl = undefined;
      this.connecting = false;
      this.scheduleRetry();
      return;
    }
    this.connecting = false;
    if (this.active) return;
    this.active = this.open(url);
  }

  private async openStandby(): Promise<void> {
    this.retire(this.standby);
    const standby = this.open(await this.url());
    this.standby = standby;
    setTimeout(() => {
      if (this.standby === standby && !standby.joined) this.retire(standby);
    }, STANDBY_TIMEOUT_MS);
  }

  private open(url: string): Link {
    const socket = new WebSocket(url);
    const link: Link = { socket, openedAt: Date.now(), opened: false, joined: false, retired: false, early: [] };
    socket.addEventListener('open', () => {
      link.opened = true;
      socket.send(JSON.stringify({ action: 'join' } satisfies ClientFrame));
      this.lastSentAt = Date.now();
      setTimeout(() => this.joinFailed(link, 'The room did not answer the join'), this.joinTimeoutMs);
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (typeof event.data !== 'string') return;
      const frames = decodeServerMessage(event.data);
      if (!frames?.length) console.warn('Ignoring a frame that is not protocol v1:', event.data.slice(0, 200));
      for (const frame of frames ?? []) this.onLinkFrame(link, frame);
    });
    socket.addEventListener('close', (event) => this.onLinkClose(link, event.code));
    return link;
  }

  private onLinkFrame(link: Link, frame: ServerFrame): void {
    if (link.retired) return;
    if (link === this.active) {
      // Any frame proves the connection alive.
      this.lastReceivedAt = Date.now();
      this.cancelProbe();
    }
    if (link === this.standby) {
      // The old connection still delivers everything until the new one is welcomed.
      if (frame.type !== 'welcome') return;
      this.retire(this.active);
      this.active = link;
      this.standby = undefined;
    }
    if (link !== this.active) return;
    if (frame.type === 'error' && frame.action === 'join' && !link.joined) {
      this.joinFailed(link, `The room refused the join: ${frame.message}`);
      return;
    }
    if (frame.type !== 'welcome') {
      // Being connected is being in the room, so broadcasts can come before the welcome. The page sees the welcome
      // first: it measures the gap to fill from what it had before this connection.
      if (link.joined) this.options.onFrame(frame);
      else link.early.push(frame);
      return;
    }
    this.lastReceivedAt = Date.now();
    link.joined = true;
    this.attempt = 0;
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => {
      if (this.active === link) void this.openStandby();
    }, this.renewAfterMs);
    this.options.onStatus({ state: 'online' });
    this.options.onFrame(frame);
    for (const early of link.early.splice(0)) this.options.onFrame(early);
  }

  private onLinkClose(link: Link, code: number): void {
    if (link.retired) return;
    link.retired = true;
    if (link === this.standby) {
      this.standby = undefined;
      return;
    }
    if (link !== this.active) return;
    this.active = undefined;
    clearTimeout(this.renewTimer);
    this.cancelProbe();
    if (link.joined && Date.now() - link.openedAt >= this.renewAfterMs) {
      // API Gateway's 2-hour limit came before the renewal could: come straight back, quietly.
      void this.connect();
      return;
    }
    // A server going away (a restart) is not back within a blink: the first retry waits 1-2 s, and a room full of
    // pages dropped at once comes back spread over that time instead of all at once.
    this.scheduleRetry(code === GOING_AWAY ? GOING_AWAY_FIRST_ATTEMPT : 0, link.opened ? undefined : 'refused');
  }

  /** A connection that opened but was never welcomed: give it up and retry, saying so (a standby just goes). */
  private joinFailed(link: Link, reason: string): void {
    if (link.joined || link.retired) return;
    this.retire(link);
    if (link === this.standby) this.standby = undefined;
    if (link !== this.active) return;
    console.warn(`${reason}: reconnecting`);
    this.active = undefined;
    this.scheduleRetry(0, 'unanswered');
  }

  private retire(link: Link | undefined): void {
    if (!link || link.retired) return;
    link.retired = true;
    link.socket.close(1000, 'Replaced');
  }

  private scheduleRetry(minimumAttempt = 0, failed?: 'unanswered' | 'refused'): void {
    clearTimeout(this.retryTimer);
    this.attempt = Math.max(this.attempt, minimumAttempt);
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    const retryAt = Date.now() + delay;
    this.options.onStatus(navigator.onLine === false ? { state: 'offline' } : { state: 'reconnecting', retryAt, ...(failed ? { failed } : {}) });
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private keepAlive(): void {
    if (this.online && Date.now() - this.lastSentAt >= this.keepAliveAfterMs) this.probe(KEEP_ALIVE_ANSWER_MS);
  }

  /**
   * Sends a `history` request for one message: it counts as client activity for API Gateway's idle timer, and it is
   * answered to this connection only (one small query), unlike `typing`, which every other member receives. When no
   * frame at all arrives within `answerMs`, the connection is dead without knowing it (a half-open TCP connection
   * after a network change): replace it.
   */
  private probe(answerMs: number): void {
    const link = this.active;
    if (!link || this.probeTimer !== undefined || !this.send({ action: 'history', limit: 1 })) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      if (this.active !== link || Date.now() - this.lastReceivedAt < answerMs) return;
      console.warn('The connection did not answer: reconnecting');
      this.retire(link);
      this.active = undefined;
      clearTimeout(this.renewTimer);
      this.options.onStatus({ state: 'reconnecting', retryAt: Date.now() });
      void this.connect();
    }, answerMs);
  }

  private cancelProbe(): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  private async url(): Promise<string> {
    this.baseUrl ??= fetch(this.options.configUrl ?? 'config.json', { cache: 'no-store' }).then(async (response) => {
      if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
      const { webSocketUrl } = (await response.json()) as { webSocketUrl?: unknown };
      if (typeof webSocketUrl !== 'string' || !/^wss?:\/\//.test(webSocketUrl)) {
        throw new Error('config.json has no ws:// or wss:// webSocketUrl');
      }
      return webSocketUrl;
    });
    const url = new URL(await this.baseUrl);
    url.searchParams.set('room', this.options.room);
    if (this.name) url.searchParams.set('name', this.name);
    else url.searchParams.delete('name');
    if (this.options.key) url.searchParams.set('key', this.options.key);
    return url.href;
  }
}
