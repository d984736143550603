// A room that accepts the WebSocket but never answers `join`: the page must not sit on "Connecting…" forever. It
// gives the join up after its timeout, says so, and its Retry gets it in once the room answers. The page's clock is
// Playwright's, moved on by the test, so nothing here waits on real time.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';
import { bundlePage } from '../../local/web/bundle-page';
import { serveWeb } from '../../local/web/serve-web';
import { launchChromium } from './chat-page';

/** The page's default join timeout (web/src/chat-connection.ts). */
const JOIN_TIMEOUT_MS = 15_000;

let buildDir: string;
let server: Server;
let sockets: WebSocketServer;
let baseUrl: string;
let browser: Browser;
/** Each `join` the room received, with the socket it came on, in order; `nextJoin` resolves on the next one. */
const joins: WebSocket[] = [];
let joinArrived: (() => void) | undefined;
const nextJoin = (count: number) =>
  new Promise<void>((resolve) => {
    if (joins.length >= count) return resolve();
    joinArrived = () => joins.length >= count && resolve();
  });

beforeAll(async () => {
  buildDir = mkdtempSync(join(tmpdir(), 'join-timeout-'));
  await bundlePage(buildDir);
  server = createServer((request, response) => void serveWeb(request, response, { roots: [buildDir, join(__dirname, '../../web/public')], stage: 'prod' }));
  sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { action?: string }).action !== 'join') return;
      joins.push(socket);
      joinArrived?.();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const socket of sockets.clients) socket.terminate();
  sockets.close();
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(buildDir, { recursive: true, force: true });
});

const label = (page: Page) => page.locator('#connection-label').textContent();

it('gives up a join nobody answers, says so, and gets in on Retry once the room answers', async () => {
  const page = await browser.newPage();
  await page.clock.install();
  await page.goto(`${baseUrl}/?room=silent&name=Ann`);
  await nextJoin(1);
  expect(await label(page)).toBe('Connecting…');

  await page.clock.runFor(JOIN_TIMEOUT_MS);
  await page.locator('#connection[data-state="reconnecting"]').waitFor();

  expect(await label(page)).toBe('Room did not answer');
  expect(await page.locator('#retry').isVisible()).toBe(true);
  expect(await page.locator('#send').isDisabled()).toBe(true);

  // The unanswered connection is closed by the page, not left open beside the next one.
  await new Promise((closed) => (joins[0]?.readyState === joins[0]?.CLOSED ? closed(undefined) : joins[0]?.once('close', closed)));

  await page.locator('#retry').click();
  await nextJoin(2);
  joins[1]?.send(JSON.stringify({ type: 'welcome', you: { id: 'u-aaaaaaaa', name: 'Ann' }, room: 'silent', online: 1, members: [], history: [], hasMore: false }));
  await page.locator('#connection[data-state="online"]').waitFor();
  await page.locator('#text').fill('hello');

  expect(await label(page)).toBe('Connected');
  expect(await page.locator('#send').isEnabled()).toBe(true);
  await page.close();
});

it('gives up a join the room refuses with an error, the same way', async () => {
  const page = await browser.newPage();
  await page.clock.install();
  const before = joins.length;
  await page.goto(`${baseUrl}/?room=silent&name=Ben`);
  await nextJoin(before + 1);

  joins[before]?.send(JSON.stringify({ type: 'error', code: 'unavailable', message: 'Try again', action: 'join' }));
  await page.locator('#connection[data-state="reconnecting"]').waitFor();

  expect(await label(page)).toBe('Room did not answer');
  await page.close();
});
