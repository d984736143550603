import { createServer } from 'node:net';
import { closeServer, listen } from '../../local/listen';

/** A local port nothing listens on (bound then released), so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}
