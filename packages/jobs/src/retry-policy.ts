/**
 * Retry delays grow: base, 2·base, 4·base… A failing job backs off instead of hammering whatever
 * it depends on. `attempt` is the attempt that just failed (1 for the first).
 */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}

/** Whether another attempt follows the one that just failed. */
export function shouldRetry(attempt: number, maxAttempts: number): boolean {
  return attempt < maxAttempts;
}
