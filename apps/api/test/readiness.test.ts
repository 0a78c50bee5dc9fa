import { ErrorBodySchema } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { completeNdjson } from './support/frames';
import { eventually } from './support/http';
import { startPrivateRedis, type PrivateRedis } from './support/redis-server';

// The API on the Redis backplane while Redis goes away and comes back: alive throughout
// (/api/health), not ready while Redis is gone (/api/ready 503), clear 503s instead of hangs, and
// open streams carry on once Redis is back.
let redis: PrivateRedis;
let api: RunningApi;
beforeAll(async () => {
  redis = await startPrivateRedis({ persistent: false });
  api = await startApi({ BACKPLANE: 'redis', REDIS_URL: redis.url, HEARTBEAT_MS: '100' });
});
afterAll(async () => {
  await api.stop();
  await redis.stop();
});

const publish = (data: unknown) =>
  fetch(`${api.url}/api/channels/outage/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'n', data }),
  });
const status = async (path: string) => (await fetch(`${api.url}${path}`)).status;

/** Reads a stream in the background; `text()` is everything received so far. */
function tail(response: Response) {
  let text = '';
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  return { text: () => text, stop: () => reader.cancel().catch(() => undefined) };
}
const eventData = (text: string) =>
  completeNdjson(text).flatMap((frame) => (frame.kind === 'event' ? [frame.event.data] : []));

describe('BACKPLANE=redis while Redis is unreachable', () => {
  it('answers 503 unavailable and not-ready, stays alive, and resumes open streams after', async () => {
    expect(await status('/api/ready')).toBe(200);
    const stream = tail(await fetch(`${api.url}/api/stream/outage`));
    expect((await publish(1)).status).toBe(201);
    await eventually(
      () => eventData(stream.text()),
      (d) => d.length === 1,
      'event 1',
    );

    await redis.kill();
    await eventually(
      () => status('/api/ready'),
      (s) => s === 503,
      'not ready',
    );
    expect(await status('/api/health')).toBe(200);
    const refused = await publish(2);
    expect(refused.status).toBe(503);
    expect(ErrorBodySchema.parse(await refused.json()).error.code).toBe('unavailable');
    const poll = await fetch(`${api.url}/api/poll/outage`);
    expect(poll.status).toBe(503);
    expect(ErrorBodySchema.parse(await poll.json()).error.code).toBe('unavailable');

    await redis.start();
    await eventually(
      () => status('/api/ready'),
      (s) => s === 200,
      'ready again',
    );
    expect((await publish(3)).status).toBe(201);
    // The stream opened before the outage is still open and gets what was published after it.
    await eventually(
      () => eventData(stream.text()),
      (d) => d.length === 2,
      'event 3',
    );
    expect(eventData(stream.text())).toEqual([1, 3]);
    await stream.stop();
  });
});
