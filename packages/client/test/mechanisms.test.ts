import { freePort, startApi, type RunningApi } from '@pushpull/api/testing';
import { ConnectionCountsSchema } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, fetchHead, publish } from '../src';
import { FAST, freshChannel, numbers, observe, publishNumbers, until } from './support';

// Every mechanism keeps the same promises through the same interface: these run against each one,
// over the real API.
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ HISTORY_SIZE: '50', SSE_RETRY_MS: '50' });
});
afterAll(() => api.stop());

async function heldByServer(): Promise<number> {
  const counts = ConnectionCountsSchema.parse(
    await (await fetch(`${api.url}/api/connections`)).json(),
  );
  return (
    counts.longPollWaiters +
    counts.streams.sse +
    counts.streams.streaming +
    counts.streams.websocket
  );
}

describe.each(['polling', 'long-polling', 'sse', 'streaming', 'websocket'] as const)(
  'connect("%s")',
  (mechanism) => {
    const open = (channel: string, extra: object = {}) =>
      connect(mechanism, { baseUrl: api.url, channel, ...FAST, ...extra });

    it('delivers published events once, in order, and counts them', async () => {
      const channel = freshChannel();
      const subscription = open(channel);
      const seen = observe(subscription);
      await until(() => subscription.status === 'open', 'open');
      await publishNumbers(api.url, channel, 1, 5);
      await until(() => seen.events.length === 5, '5 events');
      expect(seen.data()).toEqual(numbers(1, 5));
      const stats = subscription.stats();
      expect(stats).toMatchObject({ events: 5, duplicatesDropped: 0, replayed: 0 });
      expect(stats.requests).toBeGreaterThanOrEqual(1);
      expect(stats.bytesIn).toBeGreaterThan(0);
      expect(stats.latencyP50Ms).toBeGreaterThanOrEqual(0);
      expect(subscription.cursor).toBe(seen.events[4]?.id);
      subscription.close();
      expect(subscription.status).toBe('closed');
    });

    it('counts a backlog as replayed, apart from the latency of live events', async () => {
      const channel = freshChannel();
      await publishNumbers(api.url, channel, 1, 3);
      const subscription = open(channel);
      const seen = observe(subscription);
      await until(() => seen.events.length === 3, 'the backlog');
      expect(subscription.stats()).toMatchObject({ replayed: 3, latencyP50Ms: undefined });
      expect(subscription.stats().oldestReplayAgeMs).toBeGreaterThanOrEqual(0);

      await publishNumbers(api.url, channel, 4, 4);
      await until(() => seen.events.length === 4, 'the live event');
      const stats = subscription.stats();
      expect(stats.replayed).toBe(3);
      expect(stats.latencyP50Ms).toBeGreaterThanOrEqual(0);
      subscription.close();
    });

    it('starts after a given cursor', async () => {
      const channel = freshChannel();
      await publishNumbers(api.url, channel, 1, 3);
      const { head } = await fetchHead(api.url, channel);
      await publishNumbers(api.url, channel, 4, 4);
      const subscription = open(channel, { after: head });
      const seen = observe(subscription);
      await until(() => seen.events.length >= 1, 'the event after head');
      expect(seen.data()).toEqual([4]);
      subscription.close();
    });

    it('resumes after going offline without loss or duplicates', async () => {
      const channel = freshChannel();
      const subscription = open(channel);
      const seen = observe(subscription);
      await until(() => subscription.status === 'open', 'open');
      await publishNumbers(api.url, channel, 1, 2);
      await until(() => seen.events.length === 2, 'first two');
      subscription.setOffline(true);
      expect(subscription.status).toBe('offline');
      await publishNumbers(api.url, channel, 3, 22);
      expect(seen.events).toHaveLength(2);
      subscription.setOffline(false);
      await until(() => seen.events.length === 22, 'all 22');
      expect(seen.data()).toEqual(numbers(1, 22));
      expect(subscription.stats()).toMatchObject({
        events: 22,
        duplicatesDropped: 0,
        reconnects: 1,
        replayed: 20, // published while offline: caught up, not live
      });
      subscription.close();
    });

    it('reports a reset when its cursor is older than history, then continues from the oldest event', async () => {
      const channel = freshChannel();
      const first = await publish(api.url, channel, { type: 'n', data: 0 });
      await publishNumbers(api.url, channel, 1, 60); // HISTORY_SIZE=50: 0..10 are gone
      const subscription = open(channel, { after: first.id });
      const seen = observe(subscription);
      await until(() => seen.events.length === 50, 'the 50 retained');
      expect(seen.resets).toHaveLength(1);
      expect(seen.data()).toEqual(numbers(11, 60));
      await publishNumbers(api.url, channel, 61, 61);
      await until(() => seen.events.length === 51, 'the next live event');
      expect(subscription.stats().resets).toBe(1);
      subscription.close();
    });

    it('fails for good on a bad channel name, with the API error code', async () => {
      const subscription = open('Bad Name');
      const seen = observe(subscription);
      await until(() => subscription.status === 'failed', 'failed');
      expect(seen.errors).toEqual(['invalid_channel']);
      expect(subscription.stats().requests).toBe(1);
      subscription.close();
    });

    it('keeps retrying while the API is unreachable and delivers once it answers', async () => {
      const port = await freePort();
      const channel = freshChannel();
      const subscription = connect(mechanism, {
        baseUrl: `http://127.0.0.1:${port}`,
        channel,
        ...FAST,
      });
      const seen = observe(subscription);
      await until(() => seen.statuses.filter((s) => s !== 'open').length >= 3, 'retries');
      expect(seen.statuses).not.toContain('failed');
      const late = await startApi({ SSE_RETRY_MS: '50' }, { port });
      try {
        await publish(late.url, channel, { type: 'n', data: 'late' });
        await until(() => seen.events.length === 1, 'the event');
        expect(subscription.stats().reconnects).toBeGreaterThanOrEqual(1);
      } finally {
        subscription.close();
        await late.stop();
      }
    });

    it('lets go of everything the server holds for it on close()', async () => {
      const before = await heldByServer();
      const subscriptions = numbers(1, 5).map(() => open(freshChannel()));
      await until(() => subscriptions.every((s) => s.status === 'open'), 'all open');
      subscriptions.forEach((s) => s.close());
      await until(async () => (await heldByServer()) <= before, 'the server to let go');
    });
  },
);
