import type { Redis } from 'ioredis';

/** The real Redis the suites run against; `.ci/run` starts it when it does not answer. */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Removes a test run's keys (SCAN, never KEYS, so a shared Redis is not blocked). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
