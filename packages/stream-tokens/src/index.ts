// Minting stream tokens: what the application's own backend does once it knows who the user is.
// Server-side only (it holds the secret); the API verifies with the same algorithm and secret.
import { STREAM_TOKEN_ALGORITHM, StreamTokenClaimsSchema } from '@pushpull/contracts';
import { SignJWT } from 'jose';

/** HS256 keys shorter than the hash output (32 bytes) are guessable offline from one token. */
export const MIN_STREAM_TOKEN_SECRET_BYTES = 32;

/**
 * The secret `pnpm dev` uses when STREAM_TOKEN_SECRET is unset, so the demo's private channels work
 * with nothing configured. It is public (it is in this file), so the API refuses it, and refuses to
 * start without a secret, when NODE_ENV=production.
 */
export const DEVELOPMENT_STREAM_TOKEN_SECRET =
  'pushpull-development-stream-token-secret-not-for-production';

/** The secret as the HMAC key: its UTF-8 bytes. */
export function streamTokenKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export interface MintStreamTokenOptions {
  secret: string;
  /** Who the token speaks for. */
  sub: string;
  /** Channels (or `prefix*` patterns) the bearer may read. */
  subscribe: string[];
  /** Channels (or `prefix*` patterns) the bearer may write; none if omitted. */
  publish?: string[];
  /** Lifetime in seconds. Short (minutes): a client renews with `getToken`, nothing is lost. */
  ttlS: number;
  /** "Now" in ms, for tests; the clock by default. */
  now?: number;
}

/** Signs a stream token (HS256, `exp` = now + ttlS). Throws on a secret shorter than 32 bytes. */
export async function mintStreamToken(options: MintStreamTokenOptions): Promise<string> {
  const key = streamTokenKey(options.secret);
  if (key.byteLength < MIN_STREAM_TOKEN_SECRET_BYTES)
    throw new Error(
      `The stream token secret must be at least ${MIN_STREAM_TOKEN_SECRET_BYTES} bytes`,
    );
  const nowS = Math.floor((options.now ?? Date.now()) / 1000);
  const claims = StreamTokenClaimsSchema.parse({
    sub: options.sub,
    exp: nowS + options.ttlS,
    subscribe: options.subscribe,
    ...(options.publish && { publish: options.publish }),
  });
  const { sub, exp, ...grants } = claims;
  return new SignJWT(grants)
    .setProtectedHeader({ alg: STREAM_TOKEN_ALGORITHM, typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(nowS)
    .setExpirationTime(exp)
    .sign(key);
}
