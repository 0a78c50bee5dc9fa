import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';
import { SECURITY_HEADERS } from './security-headers';

/** Routes whose first path parameter is a channel name. */
const CHANNEL_ROUTE = /^\/api\/(channels|poll|long-poll|sse|stream)\//;

/**
 * Errors Fastify's router raises before any route runs — a path segment that is not valid
 * percent-encoding (`/api/poll/%ff`), a parameter longer than the router takes — answered in the
 * contract's shape. Under a channel route the bad segment is the channel.
 */
export function answerFrameworkError(
  error: Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const apiError = CHANNEL_ROUTE.test(request.url)
    ? new ApiError('invalid_channel', `Invalid channel in the path: ${error.message}`)
    : new ApiError('not_found', `Cannot ${request.method} ${request.url.slice(0, 200)}`);
  // The router fails before any hook runs: helmet's, and the onSend fallback, never see this.
  void reply
    .status(apiError.status)
    .headers(SECURITY_HEADERS)
    .header('Cache-Control', 'no-store')
    .send(apiError.toBody());
}
