/** `value` parsed as an http(s) URL; a TypeError naming `what` otherwise. */
export function httpUrl(what: string, value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`${what} must be an http(s) URL, got "${value}"`);
  }
  return url;
}
