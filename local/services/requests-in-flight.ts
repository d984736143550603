import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * Counts the requests a server's handler is still working on, until it calls `res.end` (even for a client that went
 * away, whose socket closed long before). kinesalite closes its LevelDB first when its server closes, and a LevelDB
 * read still running on a closed database crashes the whole process (SIGSEGV): `drain` lets those reads finish first.
 */
export class RequestsInFlight {
  private count = 0;
  private readonly idle = new EventEmitter();

  public constructor(server: Server) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.count += 1;
      const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
      let ended = false;
      const finish = () => {
        if (ended) return;
        ended = true;
        this.count -= 1;
        if (this.count === 0) this.idle.emit('idle');
      };
      response.end = ((...args: unknown[]) => {
        finish();
        return end(...args);
      }) as ServerResponse['end'];
      // Both servers act only once the whole body has arrived: a request whose client left before that never will.
      request.once('close', () => {
        if (!request.complete) finish();
      });
    });
  }

  /** Stops the server taking connections, drops idle ones, and resolves once every started request has ended. */
  public async drain(server: Server): Promise<void> {
    Server.prototype.close.call(server);
    server.closeIdleConnections();
    await this.settled();
  }

  /** Resolves once every request started so far has ended; the server keeps serving. */
  public async settled(): Promise<void> {
    if (this.count > 0) await once(this.idle, 'idle');
  }
}
