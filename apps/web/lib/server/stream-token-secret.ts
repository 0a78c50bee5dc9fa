import { DEVELOPMENT_STREAM_TOKEN_SECRET } from '@pushpull/stream-tokens';

/**
 * The secret the API verifies stream tokens with, read per request so one build serves any
 * deployment. The rule is the API's: unset under `next dev`, the public development default (the
 * same constant the API falls back to, so `pnpm dev` works with nothing configured); in a
 * production build (`next start`), a secret of its own or nothing — the default is public, and a
 * web server minting with it would hand out tokens anyone can forge. Undefined means "refuse".
 */
export function streamTokenSecret(): string | undefined {
  const configured = process.env.STREAM_TOKEN_SECRET || undefined;
  // Next inlines NODE_ENV at build time: `next build` makes this "production" for `next start`.
  if (process.env.NODE_ENV !== 'production') return configured ?? DEVELOPMENT_STREAM_TOKEN_SECRET;
  return configured === DEVELOPMENT_STREAM_TOKEN_SECRET ? undefined : configured;
}

/** Thrown when there is no secret to mint with; its message says what to set, never a value. */
export class MissingSecretError extends Error {
  constructor() {
    super(
      "The web server has no STREAM_TOKEN_SECRET: a production build (next start) needs the API's secret (at least 32 bytes), never the public development default",
    );
  }
}

export function requireStreamTokenSecret(): string {
  const secret = streamTokenSecret();
  if (!secret) throw new MissingSecretError();
  return secret;
}
