import { FrameBacklog } from '../../local/gateway/frame-backlog';

/** A route whose invocations the test settles one by one, recording what was routed and when it arrived. */
function controlledRoute() {
  const routed: { body: string; receivedAt: number }[] = [];
  const settle: (() => void)[] = [];
  const route = (body: string, receivedAt: number) =>
    new Promise<void>((resolve) => {
      routed.push({ body, receivedAt });
      settle.push(resolve);
    });
  return { routed, settle, route };
}

/** Lets the backlog's `finally` callbacks run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('FrameBacklog', () => {
  it('routes at most maxInFlight frames at once, pauses the socket while frames wait, and routes them in order', async () => {
    const { routed, settle, route } = controlledRoute();
    const socket = { pause: jest.fn(), resume: jest.fn() };
    const backlog = new FrameBacklog(3, route, socket);

    for (let i = 1; i <= 5; i++) backlog.push(`f${i}`, 1000 + i);

    expect(routed.map((frame) => frame.body)).toStrictEqual(['f1', 'f2', 'f3']);
    expect(backlog.size).toBe(2);
    expect(socket.pause).toHaveBeenCalledTimes(1);

    settle[1]?.();
    await settled();
    expect(routed.map((frame) => frame.body)).toStrictEqual(['f1', 'f2', 'f3', 'f4']);
    expect(socket.resume).not.toHaveBeenCalled();

    settle[0]?.();
    await settled();
    expect(routed.map((frame) => frame.body)).toStrictEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    expect(backlog.size).toBe(0);
    expect(socket.resume).toHaveBeenCalledTimes(1);
    // Each frame keeps the time it was read, not the time it was routed.
    expect(routed.map((frame) => frame.receivedAt)).toStrictEqual([1001, 1002, 1003, 1004, 1005]);
  });

  it('routes a flooding connection one frame at a time until its backlog is back under floodAbove, then up to maxInFlight again', async () => {
    const { routed, settle, route } = controlledRoute();
    const backlog = new FrameBacklog(3, route, { pause: () => undefined, resume: () => undefined }, 4);
    const settleOldest = async () => {
      settle.shift()?.();
      await settled();
    };

    for (let i = 1; i <= 10; i++) backlog.push(`f${i}`, i);
    expect(routed).toHaveLength(3);
    expect(backlog.size).toBe(7);

    // Seven waiting, more than 4: nothing more starts until the three in flight are done, then one at a time.
    await settleOldest();
    await settleOldest();
    expect(routed).toHaveLength(3);
    await settleOldest();
    expect(routed.map((frame) => frame.body)).toStrictEqual(['f1', 'f2', 'f3', 'f4']);
    await settleOldest();
    expect(routed).toHaveLength(5);
    expect(backlog.size).toBe(5);

    // Routing f6 leaves four waiting, not more than 4: back to three at once (f6, f7, f8).
    await settleOldest();
    expect(routed.map((frame) => frame.body)).toStrictEqual(['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8']);
    expect(backlog.size).toBe(2);
    for (let i = 0; i < 3; i++) await settleOldest();
    expect(routed).toHaveLength(10);
    expect(backlog.size).toBe(0);
  });
});
