import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Helmet's usual set on every answer, with a Content-Security-Policy for what this API serves:
 * JSON and event streams, never a page, so nothing may load, run or frame it. CORS is untouched
 * (helmet adds no CORS headers), and `Cross-Origin-Resource-Policy: same-origin` only stops
 * `no-cors` embeds (`<script src>`, `<img>`): the browser's CORS requests are exempt.
 */
const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
};

/** The headers helmet sets with these options, read once by running it on a stand-in response. */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => (headers[name] = value),
    removeHeader: () => undefined,
  };
  helmet(HELMET_OPTIONS)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    () => undefined,
  );
  return headers;
}

/**
 * The same headers for answers helmet's hook did not reach: sent by an earlier hook (a CORS
 * preflight), by the router before any hook (a path it cannot decode), or outside Fastify
 * altogether (a request Node could not parse, an `Expect` it cannot meet).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = helmetHeaders();

const SECURITY_HEADER_ENTRIES = Object.entries(SECURITY_HEADERS);

/**
 * Helmet's headers on every answer, set at onRequest onto the raw response (so hijacked streams
 * carry them too) — what the `@fastify/helmet` plugin does, but from the headers computed once
 * above: the plugin builds helmet's middleware anew for every request (its options parsed, its
 * CSP string joined), which was a tenth of a held long poll's CPU and much of its garbage.
 */
export function securityHeadersPlugin(
  instance: FastifyInstance,
  _options: unknown,
  done: () => void,
) {
  instance.addHook('onRequest', (_request, reply, next) => {
    const response = reply.raw;
    for (const [name, value] of SECURITY_HEADER_ENTRIES) response.setHeader(name, value);
    next();
  });
  done();
}
// Like `fastify-plugin`: the hook goes on the root instance, so it runs for every route.
Object.assign(securityHeadersPlugin, { [Symbol.for('skip-override')]: true });
