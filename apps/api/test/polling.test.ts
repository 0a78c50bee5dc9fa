import { ErrorBodySchema, PageSchema, type Page } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ HISTORY_SIZE: '5' });
});
afterAll(() => api.stop());

async function publish(channel: string, n: number) {
  const response = await fetch(`${api.url}/api/channels/${channel}/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'n', data: n }),
  });
  expect(response.status).toBe(201);
  return response.json() as Promise<{ id: string }>;
}

async function poll(channel: string, query = '', headers: Record<string, string> = {}) {
  const response = await fetch(`${api.url}/api/poll/${channel}${query}`, { headers });
  return {
    response,
    page: response.status === 200 ? PageSchema.parse(await response.json()) : undefined,
  };
}

const data = (page: Page | undefined) => page?.events.map((e) => e.data);

describe('GET /api/poll/:channel', () => {
  it('answers an empty channel with no events and a cursor that means "before everything"', async () => {
    const { page } = await poll('empty');
    expect(page?.events).toEqual([]);
    await publish('empty', 1);
    expect(data((await poll('empty', `?after=${page?.cursor}`)).page)).toEqual([1]);
  });

  it('returns events after the cursor, in order, and the last id as the new cursor', async () => {
    const first = await publish('order', 1);
    await publish('order', 2);
    const last = await publish('order', 3);
    const { page } = await poll('order', `?after=${first.id}`);
    expect(data(page)).toEqual([2, 3]);
    expect(page?.cursor).toBe(last.id);
    expect(page?.more).toBeUndefined();
  });

  it('cuts pages at limit and says more', async () => {
    for (let n = 1; n <= 4; n++) await publish('paged', n);
    const { page } = await poll('paged', '?limit=3');
    expect(data(page)).toEqual([1, 2, 3]);
    expect(page?.more).toBe(true);
    expect(data((await poll('paged', `?after=${page?.cursor}&limit=3`)).page)).toEqual([4]);
  });

  it('answers 304 to a matching If-None-Match, and 200 with a new ETag once the channel moves', async () => {
    const head = (await publish('etag', 1)).id;
    const { response } = await poll('etag', `?after=${head}`);
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/ prefix
    expect(response.headers.get('cache-control')).toBe('private, no-cache');

    const unchanged = await fetch(`${api.url}/api/poll/etag?after=${head}`, {
      headers: { 'If-None-Match': etag! },
    });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);

    await publish('etag', 2);
    const changed = await poll('etag', `?after=${head}`, { 'If-None-Match': etag! });
    expect(changed.response.status).toBe(200);
    expect(changed.response.headers.get('etag')).not.toBe(etag);
    expect(data(changed.page)).toEqual([2]);
  });

  it('matches If-None-Match lists, weak tags and *', async () => {
    const { response } = await poll('etag-list');
    const etag = response.headers.get('etag')!;
    for (const header of [`"x", ${etag}`, `W/${etag}`, '*']) {
      expect(
        (await fetch(`${api.url}/api/poll/etag-list`, { headers: { 'If-None-Match': header } }))
          .status,
      ).toBe(304);
    }
  });

  it('answers a cursor older than history with reset and the oldest retained events (HISTORY_SIZE=5)', async () => {
    const first = await publish('trimmed', 1);
    for (let n = 2; n <= 8; n++) await publish('trimmed', n);
    const { response, page } = await poll('trimmed', `?after=${first.id}`);
    expect(response.status).toBe(200);
    expect(page?.reset).toBe(true);
    expect(data(page)).toEqual([4, 5, 6, 7, 8]);
  });

  it('answers a cursor from another epoch with reset, not an error', async () => {
    await publish('epoch', 1);
    const { page } = await poll('epoch', '?after=1-1');
    expect(page?.reset).toBe(true);
    expect(data(page)).toEqual([1]);
  });

  it('refuses a malformed cursor with 400 invalid_cursor and a bad limit with 400 invalid_query', async () => {
    const cursor = await fetch(`${api.url}/api/poll/demo?after=not-a-cursor`);
    expect(cursor.status).toBe(400);
    expect(ErrorBodySchema.parse(await cursor.json()).error.code).toBe('invalid_cursor');
    for (const limit of ['0', '1001', 'ten']) {
      const response = await fetch(`${api.url}/api/poll/demo?limit=${limit}`);
      expect(response.status).toBe(400);
      expect(ErrorBodySchema.parse(await response.json()).error.code).toBe('invalid_query');
    }
  });

  it('refuses a bad channel name with 400 invalid_channel', async () => {
    const response = await fetch(`${api.url}/api/poll/Bad%20Name`);
    expect(response.status).toBe(400);
    expect(ErrorBodySchema.parse(await response.json()).error.code).toBe('invalid_channel');
  });
});
