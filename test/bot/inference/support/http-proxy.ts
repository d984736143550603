import { Worker } from 'node:worker_threads';

/**
 * A real HTTP proxy (the `proxy` package, as Squid would behave) on 127.0.0.1, counting what it relays.
 * `proxy` is an ES module, which jest's CommonJS runtime cannot load; it runs in a worker thread, where Node's own
 * loader does.
 */
export interface HttpProxy {
  /** e.g. `http://127.0.0.1:40999`. */
  url: string;
  /** CONNECT tunnels opened (`host:port` each) and plain proxied requests (absolute URLs), so far. */
  seen(): Promise<{ connects: string[]; requests: string[] }>;
  close(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createProxy } = require(workerData.proxyModule);
const server = createProxy();
const connects = [];
const requests = [];
server.on('connect', (req) => connects.push(req.url));
server.on('request', (req) => requests.push(req.url));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'seen') parentPort.postMessage({ type: 'seen', connects, requests });
  if (message === 'close') {
    server.closeAllConnections();
    server.close(() => parentPort.postMessage({ type: 'closed' }));
  }
});
`;

interface WorkerMessage {
  type: 'listening' | 'seen' | 'closed';
  port?: number;
  connects?: string[];
  requests?: string[];
}

function nextMessage(worker: Worker, type: WorkerMessage['type']): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: WorkerMessage): void => {
      if (message.type !== type) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

export async function startHttpProxy(): Promise<HttpProxy> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { proxyModule: require.resolve('proxy') } });
  const { port } = await nextMessage(worker, 'listening');
  return {
    url: `http://127.0.0.1:${port}`,
    async seen() {
      const reply = nextMessage(worker, 'seen');
      worker.postMessage('seen');
      const { connects = [], requests = [] } = await reply;
      return { connects, requests };
    },
    async close() {
      const closed = nextMessage(worker, 'closed');
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}
