import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { bundlePage } from '../../local/web/bundle-page';
import { serveWeb } from '../../local/web/serve-web';
import { closeServer, listen } from '../../local/listen';

/** The page as `npm start` serves it, over real HTTP: compressed by Accept-Encoding as CloudFront does. */

const PUBLIC_DIR = join(__dirname, '../../web/public');
/** Stands in for a PNG: big enough to be compressed if it were text. */
const PHOTO = randomBytes(4_000);
let buildDir: string;
let imagesDir: string;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  buildDir = mkdtempSync(join(tmpdir(), 'serve-web-test-'));
  await bundlePage(buildDir);
  imagesDir = mkdtempSync(join(tmpdir(), 'serve-web-images-'));
  writeFileSync(join(imagesDir, 'photo.png'), PHOTO);
  const roots = [buildDir, PUBLIC_DIR, imagesDir];
  server = createServer((request, response) => void serveWeb(request, response, { roots, stage: 'prod' }));
  baseUrl = `http://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  await closeServer(server);
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(imagesDir, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** GET without any decoding (fetch would undo the compression this test is about). */
function getRaw(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    get(`${baseUrl}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

const DECODE = { br: brotliDecompressSync, gzip: gunzipSync } as const;

describe.each([
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/styles.css', 'styles.css', 'text/css; charset=utf-8'],
])('%s', (path, file, contentType) => {
  const original = (): Buffer => readFileSync(join(buildDir, file));

  it.each([
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
  ] as const)('Accept-Encoding "%s" gets %s: smaller, and the very bytes of the file once decoded', async (acceptEncoding, encoding) => {
    const response = await getRaw(path, { 'accept-encoding': acceptEncoding });

    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe(encoding);
    expect(response.headers['content-type']).toBe(contentType);
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(response.body.length).toBeLessThan(original().length);
    expect(DECODE[encoding](response.body).equals(original())).toBe(true);
  });

  it.each([[undefined], ['identity'], ['deflate'], ['gzip;q=0, br;q=0']])('Accept-Encoding %p gets the file as it is', async (acceptEncoding) => {
    const response = await getRaw(path, acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding });

    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(response.body.equals(original())).toBe(true);
  });

  it('keeps the security headers when compressed', async () => {
    const response = await getRaw(path, { 'accept-encoding': 'br' });

    expect(response.headers).toMatchObject({
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    expect(response.headers['content-security-policy']).toContain(`ws://${new URL(baseUrl).host}`);
    expect(response.headers['permissions-policy']).toBeDefined();
  });
});

it('leaves files under 1,000 bytes as they are, as CloudFront does (config.json, the icon)', async () => {
  const config = await getRaw('/config.json', { 'accept-encoding': 'gzip, br' });
  const icon = await getRaw('/favicon.svg', { 'accept-encoding': 'gzip, br' });

  expect(config.headers['content-encoding']).toBeUndefined();
  expect(JSON.parse(config.body.toString())).toStrictEqual({ webSocketUrl: `ws://${new URL(baseUrl).host}/prod` });
  expect(icon.headers['content-encoding']).toBeUndefined();
  expect(icon.body.equals(readFileSync(join(PUBLIC_DIR, 'favicon.svg')))).toBe(true);
});

it('compresses the source map (JSON text)', async () => {
  const response = await getRaw('/app.js.map', { 'accept-encoding': 'gzip' });

  expect(response.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(response.body).equals(readFileSync(join(buildDir, 'app.js.map')))).toBe(true);
});

it('never compresses an image format that is compressed already, nor says it varies', async () => {
  const response = await getRaw('/photo.png', { 'accept-encoding': 'gzip, br' });

  expect(response.headers['content-type']).toBe('image/png');
  expect(response.headers['content-encoding']).toBeUndefined();
  expect(response.headers.vary).toBeUndefined();
  expect(response.body.equals(PHOTO)).toBe(true);
});

describe('every answer carries the page security headers, errors included', () => {
  it.each([
    ['a missing file', '/nope.js', 404],
    ['a path that does not percent-decode', '/%E0%A4%A', 400],
    ['a path climbing out of the roots', '/..%2F..%2Fetc%2Fpasswd', 404],
  ])('%s', async (_label, path, status) => {
    const response = await getRaw(path);

    expect(response.status).toBe(status);
    expect(response.headers).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'none'"),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'permissions-policy': expect.stringContaining('camera=()'),
      'cross-origin-opener-policy': 'same-origin',
    });
  });
});
