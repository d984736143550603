import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';
import { bundlePage } from '../../local/web/bundle-page';
import { serveWeb } from '../../local/web/serve-web';

export type Frame = Record<string, unknown>;

/** A desktop window and a 390x844 phone with a touch screen (coarse pointer, soft keyboard). */
export const VIEWPORTS = {
  desktop: { viewport: { width: 1000, height: 720 } },
  phone: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true },
} as const satisfies Record<string, BrowserContextOptions>;

/** One page's connection to the fake room: what the page sent, in order, and a way to answer it. */
export class Peer {
  public readonly received: Frame[] = [];
  private waiters: (() => void)[] = [];

  public constructor(
    public readonly socket: WebSocket,
    public readonly request: IncomingMessage,
  ) {
    socket.on('message', (data: Buffer) => {
      this.received.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  public get name(): string | null {
    return new URL(this.request.url ?? '/', 'http://x').searchParams.get('name');
  }

  public send(...frames: Frame[]): void {
    this.socket.send(JSON.stringify(frames.length === 1 ? frames[0] : { type: 'batch', frames }));
  }

  /** The next frame the page sends (after its first `from` frames) that matches; waits on the page's frames only. */
  public async next(matches: (frame: Frame) => boolean, from = 0): Promise<Frame> {
    for (;;) {
      const found = this.received.slice(from).find(matches);
      if (found) return found;
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }
}

/**
 * A room that is the test: it serves the page as the deployment builds it, accepts the page's WebSocket, and answers
 * only what the test makes it answer, so every state of the page can be reached exactly, without timing.
 */
export class FakeRoom {
  private readonly peers: Peer[] = [];
  private waiting: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    private readonly sockets: WebSocketServer,
    private readonly buildDir: string,
    public readonly baseUrl: string,
  ) {
    sockets.on('connection', (socket, request) => {
      this.peers.push(new Peer(socket, request));
      for (const wake of this.waiting.splice(0)) wake();
    });
  }

  /** `refuse`: handshakes with this name are refused (HTTP 400, as API Gateway does when $connect refuses). */
  public static async start(refuse = 'Refused'): Promise<FakeRoom> {
    const buildDir = mkdtempSync(join(tmpdir(), 'fake-room-'));
    await bundlePage(buildDir);
    const server = createServer((request, response) => void serveWeb(request, response, { roots: [buildDir, join(__dirname, '../../web/public')], stage: 'prod' }));
    const sockets = new WebSocketServer({
      server,
      verifyClient: ({ req }, done) => done(new URL(req.url ?? '/', 'http://x').searchParams.get('name') !== refuse, 400),
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return new FakeRoom(server, sockets, buildDir, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  /** The `index`-th connection the room accepted (0 = the first), once it has sent `join`. */
  public async peer(index: number): Promise<Peer> {
    while (this.peers.length <= index) await new Promise<void>((wake) => this.waiting.push(wake));
    const peer = this.peers[index]!;
    await peer.next((frame) => frame.action === 'join');
    return peer;
  }

  public get connections(): number {
    return this.peers.length;
  }

  public async stop(): Promise<void> {
    for (const socket of this.sockets.clients) socket.terminate();
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
    rmSync(this.buildDir, { recursive: true, force: true });
  }
}

export interface Welcome {
  readonly you?: { id: string; name: string };
  readonly members?: { id: string; name: string }[];
  readonly history?: Frame[];
  readonly hasMore?: boolean;
  readonly cursor?: string;
  readonly bot?: { name: string; replies: 'addressed' | 'all' };
}

export function welcome(room: string, options: Welcome = {}): Frame {
  const you = options.you ?? { id: 'u-me', name: 'Ann' };
  const members = options.members ?? [you];
  return {
    type: 'welcome',
    you,
    room,
    online: members.length,
    members,
    history: options.history ?? [],
    hasMore: options.hasMore ?? false,
    ...(options.cursor ? { cursor: options.cursor } : {}),
    bot: options.bot ?? { name: 'bot', replies: 'addressed' },
  };
}

/** A person's message as the room sends it. */
export function userFrame(id: string, author: { id: string; name: string }, text: string, ts: number, extra: Frame = {}): Frame {
  return { type: 'user', id, room: 'test', author, text, ts, ...extra };
}

/**
 * Opens the page for `room` as `name` in its own context and lets the fake room welcome it with `options`. Returns the
 * page and its connection; `beforeGoto` runs first (e.g. to install Playwright's clock).
 */
export async function openWelcomed(
  browser: Browser,
  fake: FakeRoom,
  room: string,
  name: string,
  context: BrowserContextOptions,
  options: Welcome = {},
  beforeGoto?: (page: Page) => Promise<void>,
): Promise<{ page: Page; peer: Peer }> {
  const index = fake.connections;
  const page = await (await browser.newContext({ ...context, reducedMotion: 'reduce', timezoneId: 'UTC', locale: 'en-GB' })).newPage();
  await beforeGoto?.(page);
  await page.goto(`${fake.baseUrl}/?room=${room}&name=${encodeURIComponent(name)}`);
  const peer = await fake.peer(index);
  peer.send(welcome(room, options));
  await page.locator('#connection[data-state="online"]').waitFor();
  return { page, peer };
}
