import { startApi, type RunningApi } from '@pushpull/api/testing';
import { ConnectionCountsSchema } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectShared, publish } from '../src';
import { FAST, freshChannel, observe, until } from './support';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stop());

const openSseStreams = async () =>
  ConnectionCountsSchema.parse(await (await fetch(`${api.url}/api/connections`)).json()).streams
    .sse;

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
});
