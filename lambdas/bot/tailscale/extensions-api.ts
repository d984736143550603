import * as http from 'node:http';
import { EXTENSIONS_API } from './constants';
import type { ExtensionEvent, ExtensionEventType } from './types';

/**
 * The Lambda Extensions API, as an external extension calls it. Plain `node:http` without timeouts: `next` blocks
 * until Lambda has an event, which for a SHUTDOWN-only extension is the whole life of the execution environment
 * (fetch would abort it after undici's 300 s headers timeout).
 */
export class ExtensionsApi {
  private identifier: string | undefined;

  /** @param runtimeApi `host:port` of the API, from `AWS_LAMBDA_RUNTIME_API`. */
  constructor(private readonly runtimeApi: string) {}

  /**
   * Registers the extension for `events` and returns its identifier. Lambda starts the runtime's init only once every
   * extension has registered, so this comes first.
   */
  async register(name: string, events: readonly ExtensionEventType[]): Promise<string> {
    const response = await this.request('POST', EXTENSIONS_API.register, { [EXTENSIONS_API.nameHeader]: name }, {
      events,
    });
    const identifier = response.headers[EXTENSIONS_API.identifierHeader.toLowerCase()];
    if (typeof identifier !== 'string' || identifier === '') {
      throw new Error(`Extensions API register answered without a ${EXTENSIONS_API.identifierHeader} header`);
    }
    this.identifier = identifier;
    return identifier;
  }

  /** Waits for the next event. The first call tells Lambda this extension has finished its init. */
  async next(): Promise<ExtensionEvent> {
    if (!this.identifier) throw new Error('Extensions API next called before register');
    const response = await this.request('GET', EXTENSIONS_API.next, {
      [EXTENSIONS_API.identifierHeader]: this.identifier,
    });
    return JSON.parse(response.body) as ExtensionEvent;
  }

  private request(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ headers: http.IncomingHttpHeaders; body: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        `http://${this.runtimeApi}${path}`,
        {
          method,
          headers: payload === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200) {
              reject(new Error(`Extensions API ${method} ${path} answered ${response.statusCode}: ${text}`));
              return;
            }
            resolve({ headers: response.headers, body: text });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
}
