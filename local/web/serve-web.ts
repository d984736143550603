import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pageContentSecurityPolicy, pageSecurityHeaders } from '../../lib/chat-web-headers';
import { COMPRESSION_LIMITS, compress, isCompressible, negotiateEncoding } from './compress';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface WebOptions {
  /** Folders searched in order for a requested file (the built page first, then static assets). */
  roots: readonly string[];
  stage: string;
}

/**
 * Serves the chat page and its `config.json`, compressed with br or gzip as the browser accepts, as CloudFront does.
 * The WebSocket URL is derived from the Host the browser used, so a page opened from another machine connects back to
 * this one (in AWS, the deployment writes config.json).
 */
export async function serveWeb(request: IncomingMessage, response: ServerResponse, options: WebOptions): Promise<void> {
  const host = request.headers.host ?? 'localhost';
  // The same policy as on CloudFront, with this server's own WebSocket endpoint.
  const csp = pageContentSecurityPolicy({ webSocketSources: [`ws://${host}`] });
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(response, 405, 'Method not allowed', { allow: 'GET, HEAD' });
  }
  const path = decodedPath(request.url);
  if (path === undefined) return plain(response, 400, 'Bad request');
  if (path === '/config.json') {
    return send(request, response, '.json', Buffer.from(JSON.stringify({ webSocketUrl: `ws://${host}/${options.stage}` })), csp);
  }
  const relative = normalize(path === '/' ? '/index.html' : path).replace(/^([/\\])+/, '');
  if (relative.startsWith('..')) return plain(response, 404, 'Not found');
  for (const root of options.roots) {
    const file = join(root, relative);
    if (!file.startsWith(root + sep)) continue;
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      continue; // Not in this root; try the next.
    }
    return send(request, response, extname(file), body, csp);
  }
  plain(response, 404, 'Not found');
}

/** The URL's path, percent-decoded; undefined when it does not decode (e.g. `/%E0%A4%A`). */
function decodedPath(url: string | undefined): string | undefined {
  try {
    return decodeURIComponent((url ?? '/').split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
}

async function send(request: IncomingMessage, response: ServerResponse, extension: string, body: Buffer, csp: string): Promise<void> {
  const contentType = CONTENT_TYPES[extension] ?? 'application/octet-stream';
  const compressible = isCompressible(contentType);
  const encoding =
    compressible && body.length >= COMPRESSION_LIMITS.minBytes && body.length <= COMPRESSION_LIMITS.maxBytes
      ? negotiateEncoding(request.headers['accept-encoding'])
      : undefined;
  const sent = encoding ? await compress(body, encoding) : body;
  response
    .writeHead(200, {
      'content-type': contentType,
      'content-length': sent.length,
      ...(encoding ? { 'content-encoding': encoding } : {}),
      ...(compressible ? { vary: 'Accept-Encoding' } : {}),
      'cache-control': 'no-cache',
      ...pageSecurityHeaders(csp),
    })
    .end(sent);
}

/** A short plain-text answer (an error) with the same security headers as the page. */
export function plain(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const csp = pageContentSecurityPolicy({ webSocketSources: [] });
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...pageSecurityHeaders(csp), ...headers }).end(text);
}
