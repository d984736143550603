import type { Server } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { closeServer, listen } from '../listen';
import { RequestsInFlight } from './requests-in-flight';
import type { ServiceThreadData, ServiceThreadMessage } from './service-thread';

/**
 * Runs dynalite or kinesalite (each a plain Node HTTP server) in a worker thread of its own: their LevelDB work and
 * request parsing then no longer share the thread of the WebSocket gateway and the @connections API.
 */
const { modulePath, options } = workerData as ServiceThreadData;
// An absolute path the parent resolved: this code runs as an eval worker, with no file of its own to resolve from.
const createServer = require(modulePath) as (options: object) => Server;
const server = createServer(options);
const inFlight = new RequestsInFlight(server);

void listen(server).then((port) => parentPort?.postMessage({ kind: 'listening', port } satisfies ServiceThreadMessage));
parentPort?.once('message', () => {
  // Reads still running on a closed LevelDB crash the process: let them end, then close, then let the thread end.
  void inFlight
    .drain(server)
    .then(() => closeServer(server))
    .then(() => parentPort?.close());
});
