import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * Helmet's usual set on every answer, with a Content-Security-Policy for what this API serves:
 * JSON and event streams, never a page, so nothing may load, run or frame it. CORS is untouched
 * (helmet adds no CORS headers), and `Cross-Origin-Resource-Policy: same-origin` only stops
 * `no-cors` embeds (`<script src>`, `<img>`): the browser's CORS requests are exempt.
 */
export const HELMET_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
};

/**
 * For the few answers written before Fastify's hooks run (a request Node could not parse, an
 * `Expect` it cannot meet): the headers that matter for a JSON error body.
 */
export const RAW_ANSWER_SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
};
