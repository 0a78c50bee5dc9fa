import { deleteBackplaneKeys, startApi, type RunningApi } from '@pushpull/api/testing';
import { afterAll, beforeAll } from 'vitest';

/**
 * Two API instances on the Redis backplane (the real Redis, keys under a prefix of this run's
 * own), so ids agree between them: B runs for the whole file; each test starts its own A with
 * `env` and lets it go (killed, or drained) while a subscription is open on it.
 */
export function twoInstances(name: string) {
  const env = {
    BACKPLANE: 'redis',
    BACKPLANE_PREFIX: `test-client-${name}-${process.pid}-${Date.now()}`,
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    HISTORY_SIZE: '1000',
    SSE_RETRY_MS: '50',
  };
  let b: RunningApi | undefined;
  beforeAll(async () => {
    b = await startApi(env);
  });
  afterAll(async () => {
    await b?.stop();
    await deleteBackplaneKeys(env.REDIS_URL, env.BACKPLANE_PREFIX);
  });
  return {
    env,
    /** Instance B, the fallback origin. */
    get b(): RunningApi {
      if (!b) throw new Error('B starts in beforeAll');
      return b;
    },
  };
}
