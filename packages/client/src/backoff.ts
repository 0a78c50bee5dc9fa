export interface BackoffOptions {
  /** First retry waits up to this long. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 };

/**
 * Exponential backoff with full jitter: a random wait in [0, min(max, base·2^attempt)). The
 * randomness spreads a crowd of clients that lost the server at the same moment, so they do not
 * all come back at the same moment either. `attempt` counts from 0.
 */
export function fullJitterDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** The ceiling of the wait before reconnecting after the server said `shutdown`. */
export const DEFAULT_SHUTDOWN_JITTER_MS = 1000;

/**
 * How long to wait after a `shutdown` before reconnecting: a random wait in [0, ceiling). A drain
 * tells every client at once; without the jitter they would all come back (to the fallback, or to
 * the restarted instance) in the same instant. Not exponential: a drain is not a failure.
 */
export function shutdownJitterDelay(
  ceilingMs: number = DEFAULT_SHUTDOWN_JITTER_MS,
  random = Math.random,
): number {
  return Math.floor(random() * Math.max(0, ceilingMs));
}
