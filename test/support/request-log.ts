import type { ServerResponse } from 'node:http';

/** What a fake server received, oldest first, with waits for a number of requests and for a request's connection to close. */
export class RequestLog<T> {
  public readonly requests: T[] = [];
  private readonly closings: Promise<void>[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  public record(request: T, response: ServerResponse): void {
    this.closings.push(new Promise((resolve) => response.once('close', resolve)));
    this.requests.push(request);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.requests.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `count` requests have been received (at once if they already have). */
  public whenRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Resolves when the connection of request `index` (0 = the first) has closed, e.g. because the client aborted. */
  public whenClosed(index: number): Promise<void> {
    const closing = this.closings[index];
    if (!closing) throw new Error(`No request ${index} yet (${this.requests.length} received)`);
    return closing;
  }

  public clear(): void {
    this.requests.length = 0;
    this.closings.length = 0;
  }
}
