import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** `::ffff:10.0.0.1` and `10.0.0.1` are one client, whether it came over IPv4 or a dual-stack socket. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The client a request (or a socket.io handshake, which is one) counts against: the one function
 * every limit keyed by client IP uses. With no trusted proxy it is the TCP peer — a header any
 * client can write decides nothing. Behind `trustedProxies` proxies, each appends the address it
 * saw to `X-Forwarded-For`, so walking that many entries from the right (the `proxy-addr` rule
 * Fastify's `trustProxy` follows) gives the address the outermost trusted proxy saw. An entry that
 * is not an IP stops the walk at the last good one.
 */
export function clientIp(request: IncomingMessage, trustedProxies: number): string {
  let address = normalize(request.socket.remoteAddress ?? 'unknown');
  if (trustedProxies === 0) return address;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  for (let hop = 0; hop < trustedProxies && forwarded.length > 0; hop++) {
    const next = forwarded.pop()!.trim();
    if (isIP(next) === 0) break;
    address = normalize(next);
  }
  return address;
}
