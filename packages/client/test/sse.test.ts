import { freePort, startApi } from '@pushpull/api/testing';
import { describe, expect, it } from 'vitest';
import { connect, publish } from '../src';
import { FAST, freshChannel, observe, until } from './support';

describe('connect("sse") specifics', () => {
  it('lets EventSource reconnect by itself when the server goes away, and reports the restarted log as a reset', async () => {
    const port = await freePort();
    const env = { SSE_RETRY_MS: '50' };
    const channel = freshChannel();
    let api = await startApi(env, { port });
    const subscription = connect('sse', { baseUrl: api.url, channel, ...FAST });
    const seen = observe(subscription);
    try {
      await publish(api.url, channel, { type: 'n', data: 'before' });
      await until(() => seen.events.length === 1, 'the first event');

      await api.stop(); // in-memory history goes with it: the next server has a new epoch
      await until(() => subscription.status !== 'open', 'the drop to be noticed');
      api = await startApi(env, { port });
      await until(() => subscription.status === 'open', 'the EventSource to reconnect');
      await publish(api.url, channel, { type: 'n', data: 'after' });
      await until(() => seen.events.length === 2, 'the event after the restart');

      expect(seen.data()).toEqual(['before', 'after']);
      expect(seen.resets).toHaveLength(1); // its Last-Event-ID belongs to the old epoch
      expect(subscription.stats().reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      subscription.close();
      await api.stop();
    }
  });
});
