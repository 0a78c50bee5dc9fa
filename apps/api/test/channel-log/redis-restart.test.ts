import { afterEach, describe, expect, it } from 'vitest';
import { RedisChannelLog } from '../../src/channels/redis/redis-channel-log';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';
import { body, collect, eventually, numbers, range } from './follow-support';

/**
 * Redis going away and coming back, for real: a private redis-server is SIGKILLed and restarted
 * on the same port while an instance follows a channel through it.
 */
describe('Redis backplane across a Redis restart', () => {
  let redis: PrivateRedis | undefined;
  const logs: RedisChannelLog[] = [];

  async function twoInstances(url: string) {
    const pair = [0, 1].map(
      () => new RedisChannelLog({ url, prefix: 'restart', historySize: 1000, channelTtlS: 3600 }),
    ) as [RedisChannelLog, RedisChannelLog];
    logs.push(...pair);
    await Promise.all(pair.map((log) => log.connected(5000)));
    return pair;
  }

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await redis?.stop();
  });

  it('with persistence: the feed resumes from its last id and old cursors stay valid', async () => {
    redis = await startPrivateRedis({ persistent: true });
    const [a, b] = await twoInstances(redis.url);
    const seen = collect();
    const stop = await a.follow('c', undefined, seen.handlers);
    const before = [];
    for (const n of range(1, 5)) before.push(await b.publish('c', body(n)));
    await eventually(() => expect(numbers(seen.events)).toEqual(range(1, 5)));

    await redis.kill();
    await eventually(() => expect(a.isReady() || b.isReady()).toBe(false));
    // While Redis is away a publish is refused with the contract's 503, not queued without bound.
    await expect(b.publish('c', body(99))).rejects.toMatchObject({ code: 'unavailable' });

    await redis.start();
    await eventually(() => expect(a.isReady() && b.isReady()).toBe(true));
    for (const n of range(6, 10)) await b.publish('c', body(n));
    await eventually(() => expect(numbers(seen.events)).toEqual(range(1, 10)));
    expect(new Set(seen.events.map((e) => e.id)).size).toBe(10);
    expect(seen.resets).toEqual([]);

    const resumed = await a.read('c', before[4]!.id, 100);
    expect(resumed.reset).toBeUndefined();
    expect(numbers(resumed.events)).toEqual(range(6, 10));
    stop();
  });

  it('without persistence: history is gone, so old cursors reset, and new events still flow', async () => {
    redis = await startPrivateRedis({ persistent: false });
    const [a, b] = await twoInstances(redis.url);
    const seen = collect();
    const stop = await a.follow('c', undefined, seen.handlers);
    const old = await b.publish('c', body(1));
    await eventually(() => expect(numbers(seen.events)).toEqual([1]));

    await redis.kill();
    await redis.start();
    await eventually(() => expect(a.isReady() && b.isReady()).toBe(true));
    for (const n of range(2, 4)) await b.publish('c', body(n));
    // The recreated stream has a later epoch, so the feed (still after the old id) gets them all.
    await eventually(() => expect(numbers(seen.events)).toEqual(range(1, 4)));

    const page = await a.read('c', old.id, 100);
    expect(page.reset).toBe(true);
    expect(numbers(page.events)).toEqual(range(2, 4));
    stop();
  });
});
