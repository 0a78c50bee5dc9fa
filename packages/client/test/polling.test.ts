import { startApi, type RunningApi } from '@pushpull/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, publish } from '../src';
import { FAST, freshChannel, observe, until } from './support';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stop());

describe('connect("polling") specifics', () => {
  it('revalidates with If-None-Match and gets 304s while nothing changes', async () => {
    const channel = freshChannel();
    const subscription = connect('polling', { baseUrl: api.url, channel, ...FAST });
    const statuses: number[] = [];
    subscription.on('wire', (entry) => entry.status && statuses.push(entry.status));
    const seen = observe(subscription);
    await until(() => statuses.filter((s) => s === 304).length >= 3, 'three 304s');
    expect(statuses[0]).toBe(200);
    await publish(api.url, channel, { type: 'n', data: 1 });
    await until(() => seen.events.length === 1, 'the event');
    subscription.close();
  });

  it('drops ids it has already delivered when a server repeats itself', async () => {
    const channel = freshChannel();
    for (const n of [1, 2, 3]) await publish(api.url, channel, { type: 'n', data: n });
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
      ...FAST,
    });
    const seen = observe(subscription);
    await until(() => subscription.stats().duplicatesDropped >= 3, 'duplicates dropped');
    expect(seen.data()).toEqual([1, 2, 3]);
    subscription.close();
  });

  it('makes no request after close()', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const subscription = connect('polling', {
      baseUrl: api.url,
      channel: freshChannel(),
      fetch: counting,
      ...FAST,
    });
    await until(() => calls >= 2, 'two requests');
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
});
