import type { EventBus } from '../shared/event-bus';
import type { AiEnd, AiError, TargetName } from '../../contract/protocol';

/**
 * Puts one answer's `ai` frames on the stream, strictly one after another (each waits for the previous record), so
 * the room receives start, deltas in `seq` order, then end.
 */
export class AnswerPublisher {
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown;
  private seq = 0;
  private text = '';

  public constructor(
    private readonly bus: Pick<EventBus, 'publish'>,
    public readonly id: string,
    private readonly room: string,
    private readonly replyTo: string,
  ) {}

  /** Everything streamed so far. */
  public get streamed(): string {
    return this.text;
  }

  public start(target: TargetName, model: string): void {
    const { id, room, replyTo } = this;
    this.enqueue({ type: 'ai', state: 'start', id, room, replyTo, target, model, ts: Date.now() });
  }

  public delta(text: string): void {
    this.text += text;
    this.seq += 1;
    this.enqueue({ type: 'ai', state: 'delta', id: this.id, room: this.room, seq: this.seq, text });
  }

  public end(fields: Omit<AiEnd, 'type' | 'state' | 'id' | 'room' | 'replyTo' | 'text' | 'ts'>): Promise<void> {
    const { id, room, replyTo } = this;
    this.enqueue({ type: 'ai', state: 'end', id, room, replyTo, text: this.text, ...fields, ts: Date.now() });
    return this.settled();
  }

  public error(fields: Pick<AiError, 'code' | 'message' | 'target' | 'model'>): Promise<void> {
    const { id, room, replyTo } = this;
    this.enqueue({ type: 'ai', state: 'error', id, room, replyTo, text: this.text, ...fields, ts: Date.now() });
    return this.settled();
  }

  /** Resolves when every frame is on the stream; rejects with the first failure. */
  public async settled(): Promise<void> {
    await this.queue;
    if (this.failure) throw this.failure;
  }

  private enqueue(frame: Parameters<EventBus['publish']>[0]['frame']): void {
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        await this.bus.publish({ v: 1, room: this.room, frame });
      } catch (error) {
        this.failure = error;
      }
    });
  }
}
