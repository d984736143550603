import { Server } from 'node:http';

/**
 * Counts every HTTP request any server of this process receives, by `x-amz-target` (DynamoDB and Kinesis operations,
 * e.g. `DynamoDB_20120810.GetItem`) or `METHOD http` (the @connections API): what a load phase asked of dynalite,
 * kinesalite and the gateway. The servers are created inside the runtime, so this wraps `Server.prototype.emit`;
 * call it before the runtime starts. Benchmark host only.
 */
export function countRequests(): Record<string, number> {
  const counts: Record<string, number> = {};
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...rest: unknown[]): boolean {
    if (event === 'request') {
      const request = rest[0] as { headers: Record<string, string | string[] | undefined>; method?: string };
      const target = request.headers['x-amz-target'];
      const key = typeof target === 'string' ? target : `${request.method ?? ''} http`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return emit.apply(this, [event, ...rest] as Parameters<typeof emit>);
  } as typeof emit;
  return counts;
}
