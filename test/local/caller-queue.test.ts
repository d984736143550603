import { CallerQueue } from '../../local/lambda/caller-queue';

describe('CallerQueue', () => {
  it("serves callers in turn, each caller's items in order, so one caller's backlog never holds another back", () => {
    const queue = new CallerQueue<string>();
    for (let i = 1; i <= 4; i++) queue.push('flooder', `f${i}`);
    queue.push('quiet', 'q1');
    queue.push('flooder', 'f5');
    queue.push('quiet', 'q2');

    const served = Array.from({ length: queue.size }, () => queue.shift());

    expect(served).toStrictEqual(['f1', 'q1', 'f2', 'q2', 'f3', 'f4', 'f5']);
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('a caller that comes back after its queue emptied waits its turn behind those already waiting', () => {
    const queue = new CallerQueue<string>();
    queue.push('a', 'a1');
    queue.push('b', 'b1');
    queue.push('b', 'b2');
    expect(queue.shift()).toBe('a1');
    queue.push('a', 'a2');

    expect([queue.shift(), queue.shift(), queue.shift()]).toStrictEqual(['b1', 'a2', 'b2']);
  });

  it('skips callers that may not run now, keeping their items and their place', () => {
    const queue = new CallerQueue<string>();
    queue.push('busy', 'b1');
    queue.push('quiet', 'q1');
    queue.push('busy', 'b2');
    const notBusy = (caller: string) => caller !== 'busy';

    expect(queue.has(notBusy)).toBe(true);
    expect(queue.shift(notBusy)).toBe('q1');
    expect(queue.has(notBusy)).toBe(false);
    expect(queue.shift(notBusy)).toBeUndefined();
    expect([queue.shift(), queue.shift()]).toStrictEqual(['b1', 'b2']);
    expect(queue.size).toBe(0);
  });

  it('drain hands back every waiting item and empties the queue', () => {
    const queue = new CallerQueue<number>();
    queue.push('a', 1);
    queue.push('b', 2);
    queue.push('a', 3);

    expect(queue.drain()).toStrictEqual([1, 3, 2]);
    expect(queue.size).toBe(0);
  });
});

describe('CallerQueue.startable', () => {
  it("counts each caller's waiting items up to the room it has left", () => {
    const queue = new CallerQueue<string>();
    for (let i = 1; i <= 5; i++) queue.push('flooder', `f${i}`);
    queue.push('quiet', 'q1');
    queue.push('', 'batch1');
    queue.push('', 'batch2');
    const room = (caller: string) => (caller === '' ? Infinity : caller === 'flooder' ? 2 : 0);

    expect(queue.startable(room)).toBe(2 + 0 + 2);
    expect(queue.startable(() => -1)).toBe(0);
  });
});
