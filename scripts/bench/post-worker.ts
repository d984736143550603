import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { keepAliveHandler } from '../../lambdas/shared/aws/keep-alive-handler';
import { ConnectionPoster } from '../../lambdas/shared/connection-poster';
import { mapWithConcurrency } from '../../lambdas/shared/map-with-concurrency';
import type { PostJob, PostResult } from './post-job';
import { threadCpuMs } from './thread-cpu';

/** Posts like one fanout invocation does, from its own thread (see post-job.ts for the modes). */
const job = workerData as PostJob;
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });

function bareHttpPost(connectionId: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const url = `${job.endpoint}/@connections/${encodeURIComponent(connectionId)}`;
    const outgoing = request(url, { method: 'POST', agent, headers: { 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`))));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function postFunction(mode: PostJob['mode']): (connectionId: string, body: string) => Promise<void> {
  if (mode === 'http') return bareHttpPost;
  if (mode === 'sdk') {
    // As fanout used it before: keep-alive, and the middleware stack resolved once per command class.
    const client = new ApiGatewayManagementApiClient({ endpoint: job.endpoint, requestHandler: keepAliveHandler(), cacheMiddleware: true });
    return async (id, body) => {
      await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from(body) }));
    };
  }
  const poster = new ConnectionPoster();
  return async (id, body) => {
    if ((await poster.post(id, body)) !== 'sent') throw new Error('gone');
  };
}

async function run(): Promise<PostResult> {
  const post = postFunction(job.mode);
  // Warm-up: sockets opened and the SDK's first-call setup done before the clock starts.
  await mapWithConcurrency(job.connectionIds.slice(0, job.concurrency), job.concurrency, (id) => post(id, '{"type":"warm"}'));
  let failed = 0;
  const cpuBefore = threadCpuMs();
  const started = performance.now();
  for (let round = 0; round < job.rounds; round += 1) {
    const body = JSON.stringify({ type: 'bench', round });
    const outcomes = await mapWithConcurrency(job.connectionIds, job.concurrency, (id) => post(id, body));
    failed += outcomes.filter((outcome) => outcome.status === 'rejected').length;
  }
  const ms = performance.now() - started;
  const cpuAfter = threadCpuMs();
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { posts: job.rounds * job.connectionIds.length, failed, ms, cpuMs };
}

run().then(
  (result) => parentPort?.postMessage(result),
  (error: unknown) => parentPort?.postMessage({ error: String(error) }),
);
