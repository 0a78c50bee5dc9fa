import { startApi, type RunningApi } from '@pushpull/api/testing';
import { ConnectionCountsSchema } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectShared, publish } from '../src';
import { sharedTransportKey } from '../src/shared';
import { FAST, freshChannel, observe, until } from './support';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stop());

const openSseStreams = async () =>
  ConnectionCountsSchema.parse(await (await fetch(`${api.url}/api/connections`)).json()).streams
    .sse;

describe('sharedTransportKey', () => {
  const base = { baseUrl: 'http://localhost:4000', channel: 'demo' };

  it('tells apart every option that changes the transport', () => {
    const variants = [
      base,
      { ...base, fallbackUrls: ['http://localhost:4001'] },
      { ...base, intervalMs: 250 },
      { ...base, waitS: 5 },
      { ...base, after: '1-1' },
      { ...base, transports: ['polling' as const] },
      { ...base, token: 'secret' },
      { ...base, backoff: { baseMs: 10, maxMs: 50 } },
      { ...base, fetch: globalThis.fetch },
    ];
    const keys = new Set(variants.map((options) => sharedTransportKey('polling', options)));
    expect(keys.size).toBe(variants.length);
    expect(sharedTransportKey('sse', base)).not.toBe(sharedTransportKey('polling', base));
  });

  it('does not care about key order or options left undefined', () => {
    expect(sharedTransportKey('sse', { ...base, after: undefined, intervalMs: 5 })).toBe(
      sharedTransportKey('sse', { intervalMs: 5, channel: 'demo', baseUrl: base.baseUrl }),
    );
  });
});

describe('connectShared', () => {
  it('holds one EventSource per channel however many listeners, and closes it with the last', async () => {
    const channel = freshChannel();
    const options = { baseUrl: api.url, channel, ...FAST };
    const first = connectShared('sse', options);
    const second = connectShared('sse', options);
    const a = observe(first);
    const b = observe(second);
    await until(() => first.status === 'open', 'open');
    expect(await openSseStreams()).toBe(1);

    await publish(api.url, channel, { type: 'n', data: 1 });
    await until(() => a.events.length === 1 && b.events.length === 1, 'both listeners');

    first.close();
    expect(first.status).toBe('closed');
    await publish(api.url, channel, { type: 'n', data: 2 });
    await until(() => b.events.length === 2, 'the remaining listener');
    expect(a.events).toHaveLength(1);
    expect(await openSseStreams()).toBe(1);

    second.close();
    await until(async () => (await openSseStreams()) === 0, 'the stream to close');
  });

  it('gives a caller with other options a transport of its own', async () => {
    const channel = freshChannel();
    await publish(api.url, channel, { type: 'n', data: 1 });
    const fromOldest = connectShared('sse', { baseUrl: api.url, channel, ...FAST });
    const fromHead = connectShared('sse', { baseUrl: api.url, channel, ...FAST, after: '0-0' });
    const a = observe(fromOldest);
    await until(() => a.events.length === 1 && fromHead.status === 'open', 'both open');
    expect(await openSseStreams()).toBe(2);
    fromOldest.close();
    fromHead.close();
    await until(async () => (await openSseStreams()) === 0, 'both streams to close');
  });
});
