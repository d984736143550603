import WebSocket from 'ws';

type Json = Record<string, unknown>;

/** A delta as a listener saw it: seq..seqEnd (a merged delta covers several), and when. */
export interface DeltaArrival {
  seq: number;
  seqEnd: number;
  at: number;
}

export interface AnswerSeen {
  texts: Map<number, string>;
  arrivals: DeltaArrival[];
  endText: string | undefined;
}

/**
 * One benchmark listener: a real WebSocket client that unwraps the fanout's batch envelope (and takes bare frames
 * too), and keeps only what the benchmark reads: when each tagged message and draft arrived, the live order of what
 * history keeps, each answer's deltas, presence and errors. Times are performance.now().
 */
export class BenchClient {
  /** Message text -> arrival time. */
  public readonly messages = new Map<string, number>();
  /** Draft text -> arrival time (merging may skip drafts: only the newest of a batch arrives). */
  public readonly drafts = new Map<string, number>();
  /** Ids of `user` messages, in the order they arrived live. */
  public readonly liveOrder: string[] = [];
  public readonly answers = new Map<string, AnswerSeen>();
  /** How often each person was announced as joining (by id, or by name for `system` join frames). */
  public readonly joinsSeen = new Map<string, number>();
  public presenceFrames = 0;
  public readonly errors: Json[] = [];
  public welcomedAt: number | undefined;
  public frames = 0;
  public readonly socket: WebSocket;
  private pending: { predicate: (frame: Json) => boolean; resolve: (frame: Json) => void }[] = [];

  public constructor(url: string) {
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket.on('message', (data: Buffer) => this.onMessage(data));
    this.socket.on('error', () => undefined);
  }

  public opened(timeoutMs: number): Promise<boolean> {
    if (this.socket.readyState === WebSocket.OPEN) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.socket.once('open', () => {
        clearTimeout(timer);
        resolve(true);
      });
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  public send(frame: object): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  /** The next frame matching `predicate`, or undefined after `timeoutMs`. */
  public next(predicate: (frame: Json) => boolean, timeoutMs: number): Promise<Json | undefined> {
    return new Promise((resolve) => {
      const waiter = {
        predicate,
        resolve: (frame: Json | undefined) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      const timer = setTimeout(() => {
        this.pending = this.pending.filter((candidate) => candidate !== waiter);
        resolve(undefined);
      }, timeoutMs);
      this.pending.push(waiter);
    });
  }

  public close(): void {
    this.socket.terminate();
  }

  private onMessage(data: Buffer): void {
    const at = performance.now();
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      return;
    }
    if (!isObject(parsed)) return;
    const frames = parsed.type === 'batch' && Array.isArray(parsed.frames) ? parsed.frames.filter(isObject) : [parsed];
    for (const frame of frames) this.onFrame(frame, at);
  }

  private onFrame(frame: Json, at: number): void {
    this.frames += 1;
    switch (frame.type) {
      case 'welcome':
        this.welcomedAt ??= at;
        break;
      case 'user':
        this.messages.set(String(frame.text), at);
        this.liveOrder.push(String(frame.id));
        break;
      case 'typing':
        this.drafts.set(String(frame.text), at);
        break;
      case 'ai':
        this.onAi(frame, at);
        break;
      case 'presence':
        this.presenceFrames += 1;
        for (const person of Array.isArray(frame.joined) ? frame.joined.filter(isObject) : []) this.countJoin(String(person.id));
        break;
      case 'system':
        if (frame.event === 'join') {
          this.presenceFrames += 1;
          this.countJoin(`name:${String(frame.name)}`);
        }
        break;
      case 'error':
        this.errors.push(frame);
        break;
    }
    if (this.pending.length === 0) return;
    this.pending = this.pending.filter((waiter) => {
      if (!waiter.predicate(frame)) return true;
      waiter.resolve(frame);
      return false;
    });
  }

  private onAi(frame: Json, at: number): void {
    const id = String(frame.id);
    let answer = this.answers.get(id);
    if (!answer) {
      answer = { texts: new Map(), arrivals: [], endText: undefined };
      this.answers.set(id, answer);
    }
    if (frame.state === 'delta' && typeof frame.seq === 'number') {
      const seqEnd = typeof frame.seqEnd === 'number' ? frame.seqEnd : frame.seq;
      answer.texts.set(frame.seq, String(frame.text));
      answer.arrivals.push({ seq: frame.seq, seqEnd, at });
    } else if (frame.state === 'end' || frame.state === 'error') {
      answer.endText = String(frame.text ?? '');
    }
  }

  private countJoin(key: string): void {
    this.joinsSeen.set(key, (this.joinsSeen.get(key) ?? 0) + 1);
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text the deltas of an answer add up to, in seq order (a merged delta's text covers seq..seqEnd). */
export function assembled(answer: AnswerSeen): string {
  return [...answer.texts.entries()].sort(([a], [b]) => a - b).map(([, text]) => text).join('');
}
