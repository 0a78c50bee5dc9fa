import { wholeNumber } from '@pushpull/jobs';
import { z } from 'zod';

/**
 * `TRUST_PROXY`: how many proxies in front of the API append to `X-Forwarded-For`. `false` (or 0)
 * reads no header: the peer is the client. A number trusts that many hops from the right (behind
 * one proxy, `1` takes the address that proxy saw); `true` trusts every hop (the left-most entry).
 */
const trustedProxyHops = z.preprocess(
  (value) => (value === '' || value === undefined ? 'false' : value),
  z
    .string()
    .regex(/^(true|false|\d{1,2})$/, 'must be true, false or a number of proxy hops')
    .transform((value) =>
      value === 'true' ? Number.MAX_SAFE_INTEGER : value === 'false' ? 0 : Number(value),
    ),
);

const optionalSecret = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().optional(),
);

/** The limits no client can exceed (docs/limits.md); 0 = off where said. */
export const LimitsConfigSchema = z.object({
  /** Writes (publishes on either wire, job submits) refilled per second per writer; 0 = off. */
  WRITE_RATE_PER_S: z.preprocess(
    (value) => (value === '' || value === undefined ? 100 : value),
    // Fractions allowed: 0.5 is one write every two seconds.
    z.coerce.number().min(0).max(1_000_000),
  ),
  /** Writes a writer may make at once before the refill rate applies. */
  WRITE_BURST: wholeNumber(200, 1, 10_000_000),
  /** Streams, held long polls and sockets one client IP may hold together; 0 = off. */
  MAX_CONNECTIONS_PER_IP: wholeNumber(1000, 0, 10_000_000),
  MAX_CHANNELS_PER_SOCKET: wholeNumber(100, 1, 100_000),
  TRUST_PROXY: trustedProxyHops,
  /** A request's headers must arrive within this (slowloris). */
  HEADERS_TIMEOUT_MS: wholeNumber(10_000, 100, 3_600_000),
  /** A request's headers and body must arrive within this; a response may last as long as it likes. */
  REQUEST_TIMEOUT_MS: wholeNumber(10_000, 100, 3_600_000),
  /** When set, /metrics and /api/connections need `Authorization: Bearer <OPS_TOKEN>`. */
  OPS_TOKEN: optionalSecret,
});
