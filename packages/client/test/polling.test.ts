import { freePort, startApi, type RunningApi } from '@pushpull/api/testing';
import type { ChannelEvent } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, fetchHead, publish, type Subscription, type SubscriptionStatus } from '../src';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ HISTORY_SIZE: '50' });
});
afterAll(() => api.stop());

const fast = { intervalMs: 20, backoff: { baseMs: 10, maxMs: 50 } };
let channelCount = 0;
const freshChannel = () => `client-${process.pid}-${++channelCount}`;

/** Collects a subscription's events and lets a test wait for a condition without sleeping blindly. */
function observe(subscription: Subscription) {
  const events: ChannelEvent[] = [];
  const statuses: SubscriptionStatus[] = [];
  subscription.on('event', (event) => events.push(event));
  subscription.on('status', (change) => statuses.push(change.status));
  const until = async (condition: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { events, statuses, until, data: () => events.map((event) => event.data) };
}

async function publishNumbers(channel: string, from: number, to: number) {
  for (let n = from; n <= to; n++) await publish(api.url, channel, { type: 'n', data: n });
}

describe('connect("polling")', () => {
  it('delivers published events once, in order, and counts them', async () => {
    const channel = freshChannel();
    const subscription = connect('polling', { baseUrl: api.url, channel, ...fast });
    const seen = observe(subscription);
    await seen.until(() => subscription.status === 'open', 'open');
    await publishNumbers(channel, 1, 5);
    await seen.until(() => seen.events.length === 5, '5 events');
    expect(seen.data()).toEqual([1, 2, 3, 4, 5]);
    const stats = subscription.stats();
    expect(stats.events).toBe(5);
    expect(stats.requests).toBeGreaterThan(1);
    expect(stats.bytesIn).toBeGreaterThan(0);
    expect(stats.latencyP50Ms).toBeGreaterThanOrEqual(0);
    expect(subscription.cursor).toBe(seen.events[4]?.id);
    subscription.close();
    expect(subscription.status).toBe('closed');
  });

  it('starts after a given cursor', async () => {
    const channel = freshChannel();
    await publishNumbers(channel, 1, 3);
    const { head } = await fetchHead(api.url, channel);
    await publishNumbers(channel, 4, 4);
    const subscription = connect('polling', { baseUrl: api.url, channel, after: head, ...fast });
    const seen = observe(subscription);
    await seen.until(() => seen.events.length >= 1, 'the event after head');
    expect(seen.data()).toEqual([4]);
    subscription.close();
  });

  it('revalidates with If-None-Match and gets 304s while nothing changes', async () => {
    const channel = freshChannel();
    const subscription = connect('polling', { baseUrl: api.url, channel, ...fast });
    const statuses: number[] = [];
    subscription.on('wire', (entry) => entry.status && statuses.push(entry.status));
    const seen = observe(subscription);
    await seen.until(() => statuses.filter((s) => s === 304).length >= 3, 'three 304s');
    expect(statuses[0]).toBe(200);
    await publishNumbers(channel, 1, 1);
    await seen.until(() => seen.events.length === 1, 'the event');
    subscription.close();
  });

  it('resumes after going offline without loss or duplicates', async () => {
    const channel = freshChannel();
    const subscription = connect('polling', { baseUrl: api.url, channel, ...fast });
    const seen = observe(subscription);
    await publishNumbers(channel, 1, 2);
    await seen.until(() => seen.events.length === 2, 'first two');
    subscription.setOffline(true);
    expect(subscription.status).toBe('offline');
    const requestsWhileOffline = subscription.stats().requests;
    await publishNumbers(channel, 3, 22);
    expect(subscription.stats().requests).toBe(requestsWhileOffline);
    subscription.setOffline(false);
    await seen.until(() => seen.events.length === 22, 'all 22');
    expect(seen.data()).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(subscription.stats()).toMatchObject({ events: 22, duplicatesDropped: 0, reconnects: 1 });
    subscription.close();
  });

  it('drops ids it has already delivered when a server repeats itself', async () => {
    const channel = freshChannel();
    await publishNumbers(channel, 1, 3);
    // The real API behind a fetch that asks from the start every other time: at-least-once delivery.
    let calls = 0;
    const repeating: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      if (++calls % 2 === 0) url.searchParams.delete('after');
      return fetch(url, init);
    };
    const subscription = connect('polling', {
      baseUrl: api.url,
      channel,
      fetch: repeating,
      ...fast,
    });
    const seen = observe(subscription);
    await seen.until(() => subscription.stats().duplicatesDropped >= 3, 'duplicates dropped');
    expect(seen.data()).toEqual([1, 2, 3]);
    subscription.close();
  });

  it('reports a reset when its cursor is older than history, then continues from the oldest event', async () => {
    const channel = freshChannel();
    const first = await publish(api.url, channel, { type: 'n', data: 0 });
    await publishNumbers(channel, 1, 60); // HISTORY_SIZE=50: the first 11 are gone
    const subscription = connect('polling', {
      baseUrl: api.url,
      channel,
      after: first.id,
      ...fast,
    });
    const resets: string[] = [];
    subscription.on('reset', ({ cursor }) => resets.push(cursor));
    const seen = observe(subscription);
    await seen.until(() => seen.events.length === 50, 'the 50 retained');
    expect(resets).toHaveLength(1);
    expect(seen.data()[0]).toBe(11);
    expect(subscription.stats().resets).toBe(1);
    subscription.close();
  });

  it('fails for good on a bad channel name, with the API error code', async () => {
    const subscription = connect('polling', { baseUrl: api.url, channel: 'Bad Name', ...fast });
    const errors: string[] = [];
    subscription.on('status', (change) => change.error && errors.push(change.error.code));
    const seen = observe(subscription);
    await seen.until(() => subscription.status === 'failed', 'failed');
    expect(errors).toEqual(['invalid_channel']);
    expect(subscription.stats().requests).toBe(1);
    subscription.close();
  });

  it('backs off while the API is unreachable and delivers once it answers', async () => {
    const port = await freePort();
    const channel = freshChannel();
    const subscription = connect('polling', {
      baseUrl: `http://127.0.0.1:${port}`,
      channel,
      ...fast,
    });
    const seen = observe(subscription);
    await seen.until(
      () => seen.statuses.filter((s) => s === 'backoff').length >= 2,
      'two backoffs',
    );
    const late = await startApi({}, { port });
    try {
      await publish(late.url, channel, { type: 'n', data: 'late' });
      await seen.until(() => seen.events.length === 1, 'the event');
      expect(subscription.stats().reconnects).toBeGreaterThanOrEqual(2);
    } finally {
      subscription.close();
      await late.stop();
    }
  });

  it('makes no request after close()', async () => {
    const channel = freshChannel();
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const subscription = connect('polling', {
      baseUrl: api.url,
      channel,
      fetch: counting,
      ...fast,
    });
    const seen = observe(subscription);
    await seen.until(() => calls >= 2, 'two requests');
    subscription.close();
    const atClose = calls;
    // Absence can only be shown by waiting: ten poll intervals.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(atClose);
  });

  it('rejects a publish with the API error code', async () => {
    await expect(publish(api.url, 'job:1', { type: 'n', data: 1 })).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
    });
  });

  it('refuses mechanisms that are not built yet with a clear error', () => {
    expect(() => connect('message-queue', { baseUrl: api.url, channel: 'x' })).toThrow(
      /not built yet/,
    );
  });
});
