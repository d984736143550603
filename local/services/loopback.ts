/** Whether a socket's remote address is this machine. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(address ?? '');
}

/**
 * Whether a request's `Host` header names this machine (`localhost`, `127.x.x.x`, `[::1]`, with any port). A page
 * from another site that rebinds its own DNS name to 127.0.0.1 reaches a loopback server from loopback, but its
 * requests still carry that site's name as `Host`: refusing foreign names is what stops DNS rebinding.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = /^(\[[^\]]*\]|[^:]*)(?::\d{1,5})?$/.exec(host.trim().toLowerCase())?.[1];
  return name === 'localhost' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name ?? '');
}
