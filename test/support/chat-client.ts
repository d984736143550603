import WebSocket from 'ws';
import { WAIT_LIMIT_MS } from './wait-limit';

export interface Frame {
  type: string;
  [key: string]: unknown;
}

export interface ConnectOptions {
  room?: string;
  name?: string;
  origin?: string;
  /** Path after the host, e.g. `/prod`. */
  path?: string;
  /**
   * Local address to connect from, e.g. `127.0.0.2`: another loopback address is another source IP to the gateway.
   * The URL's host must then be an IPv4 loopback address too.
   */
  localAddress?: string;
  /** More query parameters, in order, whatever their names. */
  query?: readonly (readonly [string, string])[];
}

/** A handshake the server refused, with the HTTP status and body it answered. */
export class HandshakeRefused extends Error {
  public constructor(
    public readonly status: number,
    public readonly body: string,
  ) {
    super(`Handshake refused with ${status}: ${body}`);
  }
}

/**
 * A real WebSocket client that records every frame and lets a test wait for the one it expects. Fanout's batch
 * envelopes are unwrapped: `frames` holds the frames inside, in order, and `messages` every WebSocket message as sent.
 */
export class ChatClient {
  public readonly frames: Frame[] = [];
  public readonly messages: Frame[] = [];
  /** The size in bytes of each WebSocket message, as `messages` holds them. */
  public readonly messageBytes: number[] = [];
  public closeCode: number | undefined;
  private waiters: { predicate: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];
  private readonly closed: Promise<number>;

  private constructor(public readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as Frame;
      this.messages.push(message);
      this.messageBytes.push(data.length);
      const frames = message.type === 'batch' ? (message.frames as Frame[]) : [message];
      for (const frame of frames) {
        this.frames.push(frame);
        this.waiters = this.waiters.filter((waiter) => {
          if (!waiter.predicate(frame)) return true;
          waiter.resolve(frame);
          return false;
        });
      }
    });
    this.closed = new Promise((resolve) => socket.once('close', (code: number) => resolve((this.closeCode = code))));
  }

  public static connect(baseUrl: string, options: ConnectOptions = {}): Promise<ChatClient> {
    const url = new URL(options.path ?? '/', baseUrl);
    if (options.room !== undefined) url.searchParams.set('room', options.room);
    if (options.name !== undefined) url.searchParams.set('name', options.name);
    for (const [key, value] of options.query ?? []) url.searchParams.append(key, value);
    const socket = new WebSocket(url, { origin: options.origin, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
    const client = new ChatClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(new HandshakeRefused(response.statusCode ?? 0, body)));
      });
      socket.once('error', reject);
    });
  }

  /** Connects and sends `join`; resolves with the `welcome`. */
  public static async join(baseUrl: string, options: ConnectOptions = {}): Promise<{ client: ChatClient; welcome: Frame }> {
    const client = await ChatClient.connect(baseUrl, options);
    client.send({ action: 'join' });
    return { client, welcome: await client.next((frame) => frame.type === 'welcome') };
  }

  public send(frame: object | string): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (already received or still to come) matching `predicate`. */
  public next(predicate: (frame: Frame) => boolean, timeoutMs = WAIT_LIMIT_MS): Promise<Frame> {
    const seen = this.frames.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`No matching frame within ${timeoutMs} ms; received: ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  public ofType(type: string): Frame[] {
    return this.frames.filter((frame) => frame.type === type);
  }

  public async close(): Promise<void> {
    this.socket.close();
    await this.closed;
  }

  public waitForClose(): Promise<number> {
    return this.closed;
  }
}

export const userMessage = (text: string) => (frame: Frame) => frame.type === 'user' && frame.text === text;

/** A `presence` frame that announces `name` as joined (or left). */
export const presence = (change: 'joined' | 'left', name: string) => (frame: Frame) =>
  frame.type === 'presence' && (frame[change] as { name: string }[]).some((member) => member.name === name);
