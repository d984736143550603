import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { RequestsInFlight } from '../../local/services/requests-in-flight';
import { closeServer, listen } from '../../local/listen';

// What the local runtime waits for before dynalite or kinesalite may close its LevelDB.

async function serverWithHeldRequests() {
  const held: { request: IncomingMessage; response: ServerResponse }[] = [];
  const arrived = new EventTarget();
  const server = createServer((request, response) => {
    held.push({ request, response });
    request.resume();
    arrived.dispatchEvent(new Event('request'));
  });
  const inFlight = new RequestsInFlight(server);
  const port = await listen(server, 0, '127.0.0.1');
  const nextRequest = () => once(arrived, 'request');
  return { server, inFlight, port, held, nextRequest };
}

test('settled waits for a handler still working on a whole request, until it ends the response', async () => {
  const { server, inFlight, port, held, nextRequest } = await serverWithHeldRequests();
  const socket = connect(port, '127.0.0.1');
  const arrived = nextRequest();
  socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
  await arrived;
  let settled = false;
  const waiting = inFlight.settled().then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  expect(settled).toBe(false);
  held[0].response.end('done');
  await waiting;
  socket.destroy();
  await closeServer(server);
});

test('a request whose client left before sending its whole body is not waited for', async () => {
  const { server, inFlight, port, held, nextRequest } = await serverWithHeldRequests();
  const socket = connect(port, '127.0.0.1');
  const arrived = nextRequest();
  socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"partial"');
  await arrived;
  const [{ request }] = held;
  request.on('error', () => undefined);
  const closed = new Promise((resolve) => request.once('close', resolve));
  socket.destroy();
  await closed;
  await inFlight.settled();
  expect(request.complete).toBe(false);
  await closeServer(server);
});
