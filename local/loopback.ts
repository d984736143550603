import { isIPv4 } from 'node:net';

/** Whether a socket's remote address is this machine: 127.0.0.0/8, ::1, or 127.x mapped into IPv6 (::ffff:127.x). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address === '::1') return true;
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIPv4(ipv4) && ipv4.startsWith('127.');
}
