/**
 * The `exp` of a stream token, in ms since the epoch, read without verifying it (the client holds
 * no secret and needs none: it only plans when to ask for the next token). Undefined when the
 * token is not a JWT with a numeric `exp`.
 */
export function tokenExpiry(token: string): number | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const { exp } = JSON.parse(atob(base64)) as { exp?: unknown };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** setTimeout waits at most 2^31-1 ms (~24.8 days); a longer delay would fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * When to renew a token before it expires: a fifth of its remaining life ahead, at most 30 s
 * ahead, so a two-second test token and a one-hour one both renew in time and neither too often.
 */
export function renewalDelay(expiresAt: number, now = Date.now()): number {
  const remaining = Math.max(0, expiresAt - now);
  return Math.min(remaining - Math.min(remaining * 0.2, 30_000), MAX_TIMEOUT_MS);
}
