import type { AddressInfo, Server } from 'node:net';

/** Binds every interface (Node's default when no host is given). */
export const ALL_INTERFACES = Symbol('all interfaces');

/** Where `listen` binds when given no host: this machine only. */
const LOOPBACK_HOST = '127.0.0.1';

/**
 * Starts `server` on `port` (0, the default, picks a free one) of `host` and returns the port it got. `host` defaults
 * to the loopback address; `ALL_INTERFACES` binds every interface.
 */
export function listen(server: Server, port = 0, host: string | typeof ALL_INTERFACES = LOOPBACK_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host === ALL_INTERFACES ? undefined : host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting connections, drops idle keep-alive ones (HTTP servers), and resolves once closed. */
export function closeServer(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
