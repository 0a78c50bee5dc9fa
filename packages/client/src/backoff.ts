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
