/** setTimeout holds at most 2^31-1 ms (~24.8 days); a longer delay would fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Calls `onExpired` at `expiresAt` (ms since the epoch), at once if that has passed; returns the
 * cancel. Tokens may live longer than one setTimeout can wait, so a far expiry is waited in legs.
 */
export function whenExpired(expiresAt: number, onExpired: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const delay = expiresAt - Date.now();
    if (delay <= 0) return onExpired();
    timer = setTimeout(arm, Math.min(delay, MAX_TIMEOUT_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
