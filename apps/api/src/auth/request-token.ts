import { STREAM_TOKEN_COOKIE } from '@pushpull/contracts';
import type { FastifyRequest } from 'fastify';

/** Methods that only read: the only ones a cookie may authorize. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The stream token a request carries: `Authorization: Bearer <token>` on any method; else, on GET
 * and HEAD only, the `pushpull_token` cookie (EventSource cannot send headers). A browser attaches
 * cookies to requests other sites make, so a cookie must never authorize a write: no CSRF.
 * A `?token=` query parameter is never read (RFC 9700 §4.3.2: URLs leak into logs, history and
 * Referer).
 */
export function streamTokenOf(request: FastifyRequest): string | undefined {
  const bearer = bearerToken(request.headers.authorization);
  if (bearer !== undefined) return bearer;
  if (!READ_METHODS.has(request.method)) return undefined;
  return cookieValue(request.headers.cookie, STREAM_TOKEN_COOKIE);
}

/** RFC 6750 §2.1: `Bearer` (any case) then the token. Another scheme carries no stream token. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

/** RFC 6265 §5.4: `name=value` pairs separated by `; `. The first pair of that name wins. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const [key, ...value] = pair.split('=');
    if (key?.trim() === name) return value.join('=').trim() || undefined;
  }
  return undefined;
}
