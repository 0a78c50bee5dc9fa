/**
 * Whom a write is counted against in the write rate limit: the verified stream token's `sub` when
 * the writer sent one (one user, whichever IPs and wires they write from), else the client IP (an
 * anonymous writer). The two are prefixed so a `sub` can never be mistaken for an address.
 */
export function writerKey(clientIp: string, verifiedSub?: string): string {
  return verifiedSub === undefined ? `ip:${clientIp}` : `sub:${verifiedSub}`;
}
