import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { PAGE_PERMISSIONS_POLICY, pageContentSecurityPolicy } from '../../lib/chat-web-headers';
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
  const path = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const host = request.headers.host ?? 'localhost';
  // The same policy as on CloudFront, with this server's own WebSocket endpoint.
  const csp = pageContentSecurityPolicy({ webSocketSources: [`ws://${host}`] });
  if (path === '/config.json') {
    return send(request, response, '.json', Buffer.from(JSON.stringify({ webSocketUrl: `ws://${host}/${options.stage}` })), csp);
  }
  const relative = normalize(path === '/' ? '/index.html' : path).replace(/^([/\\])+/, '');
  if (relative.startsWith('..')) return notFound(response);
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
  notFound(response);
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
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'permissions-policy': PAGE_PERMISSIONS_POLICY,
      'content-security-policy': csp,
    })
    .end(sent);
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
}
