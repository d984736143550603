import { parentPort, workerData } from 'node:worker_threads';
import type { InvokeRequest, SerializedError, WorkerData, WorkerMessage } from './worker-protocol';

/**
 * Hosts one function bundle in a worker thread, the way a Lambda execution environment does: the module is loaded
 * once (init), then invocations run one at a time. process.env is the function's own environment.
 */
type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const port = parentPort;
if (!port) throw new Error('worker-entry must run in a worker thread');
const { bundlePath, handlerName, trustedCertificates } = workerData as WorkerData;

/**
 * API Gateway's HTTPS certificate is publicly trusted; the local gateway's is its own. Its certificate is added to
 * the roots every TLS client of this environment trusts by default (the roots are process-wide in Node, and
 * NODE_EXTRA_CA_CERTS is read only at process start), so a handler calling `https://{domainName}/{stage}` works
 * unchanged. A client that names its own `ca` is left alone.
 */
if (trustedCertificates.length > 0) {
  // The module object itself (an ES import binding cannot be assigned).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tls = require('node:tls') as typeof import('node:tls');
  const createSecureContext = tls.createSecureContext;
  tls.createSecureContext = (options) => {
    const secureContext = createSecureContext(options);
    if (!options?.ca) for (const pem of trustedCertificates) (secureContext.context as { addCACert(pem: string): void }).addCACert(pem);
    return secureContext;
  };
}

function send(message: WorkerMessage): void {
  port?.postMessage(message);
}

function serialize(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

let handler: Handler;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(bundlePath) as Record<string, unknown>;
  const exported = module[handlerName];
  if (typeof exported !== 'function') throw new Error(`${bundlePath} does not export ${handlerName}`);
  handler = exported as Handler;
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'init-error', error: serialize(error) });
}

port.on('message', (request: InvokeRequest) => {
  const { deadlineMs, ...fields } = request.context;
  const context = {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
  handler(request.event, context).then(
    (value) => send({ type: 'result', id: request.id, ok: true, value }),
    (error: unknown) => send({ type: 'result', id: request.id, ok: false, error: serialize(error) }),
  );
});
