import { CLOSING_HEADER } from '@pushpull/contracts';
import type { AppConfig } from '../config/app-config';

/** Headers a browser client may send that are not CORS-safelisted. */
export const CORS_ALLOWED_HEADERS = [
  'Content-Type',
  'If-None-Match',
  'Last-Event-ID',
  'Authorization',
];
/**
 * Headers the browser may read from a cross-origin response: polling needs its ETag, long polling
 * the drain's `X-Closing` on a 204.
 */
export const CORS_EXPOSED_HEADERS = ['ETag', CLOSING_HEADER];
/** Browsers cache a preflight this long (Chromium caps it at 2 h), so repeated polls send none. */
export const CORS_PREFLIGHT_MAX_AGE_S = 600;

export function corsOptions(config: AppConfig) {
  return {
    origin: config.CORS_ORIGINS,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_PREFLIGHT_MAX_AGE_S,
    // The stream-token cookie travels cross-origin (web :3000 → API :4000) only with credentials,
    // which browsers allow only with the exact origin echoed back, never `*`.
    credentials: true,
    // An OPTIONS request without preflight headers falls through to the routes (a JSON 404)
    // instead of a plain-text 400 outside the contract.
    strictPreflight: false,
  };
}

/**
 * CORS headers for a response written by hand (SSE, NDJSON): `reply.hijack()` skips the hooks
 * where @fastify/cors would add them, so streams add the same ones themselves.
 */
export function corsHeadersFor(
  origin: string | undefined,
  config: AppConfig,
): Record<string, string> {
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (origin && config.CORS_ORIGINS.includes(origin)) {
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Allow-Credentials'] = 'true';
    headers['Access-Control-Expose-Headers'] = CORS_EXPOSED_HEADERS.join(', ');
  }
  return headers;
}
