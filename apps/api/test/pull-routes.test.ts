import { ErrorBodySchema, PageSchema } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecentParses } from '../src/common/recent-parses';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { ALICE, TEST_SECRET, aliceGrant, sign } from './support/tokens';

// Polling and long polling are served outside Nest's router (src/common/direct-route.ts): what
// the router, the access guard and the param decorators used to do for them is pinned here.
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ STREAM_TOKEN_SECRET: TEST_SECRET });
});
afterAll(() => api.stop());

const codeOf = async (response: Response) =>
  ErrorBodySchema.parse(await response.json()).error.code;

describe.each(['poll', 'long-poll'])('GET /api/%s/:channel outside the router', (route) => {
  const url = (rest: string) => `${api.url}/api/${route}/${rest}`;

  it('answers an empty channel segment 404 not_found, like every route with a parameter', async () => {
    const response = await fetch(url(''));
    expect(response.status).toBe(404);
    expect(await codeOf(response)).toBe('not_found');
  });

  it('judges the channel, then its access, then the query', async () => {
    expect(await codeOf(await fetch(url('BAD?limit=0')))).toBe('invalid_channel');
    const noToken = await fetch(url(`${ALICE}?limit=0`));
    expect(noToken.status).toBe(401);
    expect(await codeOf(noToken)).toBe('unauthorized');
    const headers = { Authorization: `Bearer ${await sign(aliceGrant)}` };
    expect(await codeOf(await fetch(url(`${ALICE}?limit=0`), { headers }))).toBe('invalid_query');
  });

  it('checks the token on every request, even for a URL it answered before', async () => {
    const headers = { Authorization: `Bearer ${await sign(aliceGrant)}` };
    const allowed = await fetch(url(`${ALICE}?wait=0`), { headers });
    expect([200, 204]).toContain(allowed.status);
    await allowed.arrayBuffer();
    const again = await fetch(url(`${ALICE}?wait=0`));
    expect(again.status).toBe(401);
    expect(await codeOf(again)).toBe('unauthorized');
  });

  it('answers a URL that once failed the same way again, and a good one after it', async () => {
    for (let i = 0; i < 2; i++) {
      const bad = await fetch(url('pr-repeat?after=nope&wait=0'));
      expect(bad.status).toBe(400);
      expect(await codeOf(bad)).toBe('invalid_cursor');
    }
    for (let i = 0; i < 2; i++) {
      const good = await fetch(url('pr-repeat?wait=0'));
      expect([200, 204]).toContain(good.status);
      if (good.status === 200) PageSchema.parse(await good.json());
    }
  });

  it('carries the security headers and CORS, and is counted under its route pattern', async () => {
    const origin = 'http://localhost:3000';
    const response = await fetch(url('pr-headers?wait=0'), { headers: { Origin: origin } });
    await response.arrayBuffer();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`pushpull_http_requests_total\\{method="GET",route="/api/${route}/:channel",`),
    );
  });
});

describe('pushpull_http_requests_total, tallied between scrapes', () => {
  const series =
    'pushpull_http_requests_total{method="GET",route="/api/poll/:channel",status="200"}';
  const count = async () => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  };

  it('counts each answered request once, however the scrapes fall', async () => {
    const before = await count();
    for (let i = 0; i < 3; i++) await (await fetch(`${api.url}/api/poll/pr-count`)).arrayBuffer();
    expect(await count()).toBe(before + 3);
    expect(await count()).toBe(before + 3);
    await (await fetch(`${api.url}/api/poll/pr-count`)).arrayBuffer();
    expect(await count()).toBe(before + 4);
  });
});

describe('RecentParses', () => {
  it('keeps results by their text, frozen, and starts over past its capacity', () => {
    const parses = new RecentParses<{ n: number }>(2);
    parses.remember('a', { n: 1 });
    expect(parses.peek('a')).toEqual({ n: 1 });
    expect(Object.isFrozen(parses.peek('a'))).toBe(true);
    parses.remember('b', { n: 2 });
    parses.remember('c', { n: 3 });
    expect(parses.peek('a')).toBeUndefined();
    expect(parses.peek('c')).toEqual({ n: 3 });
    expect(parses.size).toBe(1);
  });
});
