import { ErrorBodySchema, PageSchema } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { connections, eventually, publishAll, range } from './support/http';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ HISTORY_SIZE: '5', LONG_POLL_MAX_WAIT_S: '1' });
});
afterAll(() => api.stop());

const longPoll = (channel: string, query: string, init: RequestInit = {}) =>
  fetch(`${api.url}/api/long-poll/${channel}?${query}`, init);
const dataOf = async (response: Response) =>
  PageSchema.parse(await response.json()).events.map((e) => e.data);
const headOf = async (channel: string) =>
  ((await (await fetch(`${api.url}/api/channels/${channel}`)).json()) as { head: string }).head;

describe('GET /api/long-poll/:channel', () => {
  it('answers at once with the events already after the cursor', async () => {
    const [first] = await publishAll(api.url, 'lp-backlog', [1, 2, 3]);
    const response = await longPoll('lp-backlog', `after=${first!.id}&wait=30`);
    expect(response.status).toBe(200);
    expect(await dataOf(response)).toEqual([2, 3]);
  });

  it('holds the request until an event arrives, then answers it with that event', async () => {
    const head = await headOf('lp-held');
    const held = longPoll('lp-held', `after=${head}&wait=30`);
    await eventually(
      () => connections(api.url),
      (c) => c.longPollWaiters === 1,
      'the request to be held',
    );
    await publishAll(api.url, 'lp-held', ['arrived']);
    const response = await held;
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await dataOf(response)).toEqual(['arrived']);
  });

  it('answers 204 with no body when nothing arrives within wait', async () => {
    const response = await longPoll('lp-idle', `after=${await headOf('lp-idle')}&wait=0.2`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    // Only a drain's 204 carries X-Closing: this one is "ask again at once".
    expect(response.headers.get('x-closing')).toBeNull();
  });

  it('holds no longer than LONG_POLL_MAX_WAIT_S, whatever wait asks for', async () => {
    const response = await longPoll('lp-clamped', `after=${await headOf('lp-clamped')}&wait=3600`);
    expect(response.status).toBe(204);
  });

  it('loses nothing published between two requests', async () => {
    const [first] = await publishAll(api.url, 'lp-gap', [1]);
    const answer = PageSchema.parse(await (await longPoll('lp-gap', 'wait=0')).json());
    expect(answer.cursor).toBe(first!.id);
    await publishAll(api.url, 'lp-gap', [2, 3]); // while no request is open
    expect(await dataOf(await longPoll('lp-gap', `after=${answer.cursor}&wait=30`))).toEqual([
      2, 3,
    ]);
  });

  it('answers a stale cursor at once with reset and the oldest retained events', async () => {
    const [first] = await publishAll(api.url, 'lp-stale', range(1, 8));
    const page = PageSchema.parse(
      await (await longPoll('lp-stale', `after=${first!.id}&wait=30`)).json(),
    );
    expect(page.reset).toBe(true);
    expect(page.events.map((e) => e.data)).toEqual([4, 5, 6, 7, 8]);
  });

  it.each([
    ['wait=-1', 'invalid_query'],
    ['wait=soon', 'invalid_query'],
    ['after=garbage', 'invalid_cursor'],
  ])('refuses %s with 400 %s', async (query, code) => {
    const response = await longPoll('lp-bad', query);
    expect(response.status).toBe(400);
    expect(ErrorBodySchema.parse(await response.json()).error.code).toBe(code);
  });

  it('frees every waiter, timer and subscription when 200 clients give up', async () => {
    const head = await headOf('lp-abort');
    const controllers = range(1, 200).map(() => new AbortController());
    const requests = controllers.map((c) =>
      longPoll('lp-abort', `after=${head}&wait=30`, { signal: c.signal }).catch(() => 'aborted'),
    );
    await eventually(
      () => connections(api.url),
      (c) => c.longPollWaiters === 200,
      '200 held requests',
    );
    expect((await connections(api.url)).upstreamFeeds).toBe(1); // one feed, however many waiters
    controllers.forEach((c) => c.abort());
    expect(new Set(await Promise.all(requests))).toEqual(new Set(['aborted']));
    const after = await eventually(
      () => connections(api.url),
      (c) => c.longPollWaiters === 0,
      'waiters freed',
    );
    expect(after.upstreamFeeds).toBe(0);
    // And the channel still works for the next client.
    const next = longPoll('lp-abort', `after=${head}&wait=30`);
    await publishAll(api.url, 'lp-abort', ['still here']);
    expect(await dataOf(await next)).toEqual(['still here']);
  });
});
