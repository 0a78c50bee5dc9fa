import { ErrorBodySchema } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { OPERATIONS, call, type Answer } from './support/operations';
import { ALICE, REFUSED_TOKENS, TEST_SECRET, aliceGrant, sign } from './support/tokens';

// Who may read and write, over HTTP: every route that touches a channel, against every way a
// token can be missing, forged, expired or not enough.
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ STREAM_TOKEN_SECRET: TEST_SECRET });
});
afterAll(() => api.stop());

const codeOf = (answer: Answer) => ErrorBodySchema.parse(answer.json).error.code;

describe.each(OPERATIONS)('$name on a private channel', (operation) => {
  it.each(REFUSED_TOKENS)('refuses $name with $status $code', async ({ token, status, code }) => {
    const answer = await call(operation, api.url, ALICE, { bearer: await token() });
    expect(answer.status).toBe(status);
    expect(codeOf(answer)).toBe(code);
    if (status === 401) expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
  });

  it('answers a valid token that covers the channel', async () => {
    const answer = await call(operation, api.url, ALICE, { bearer: await sign(aliceGrant) });
    expect(operation.ok).toContain(answer.status);
  });

  it('applies the prefix rule at both edges: neither the bare name nor a longer word', async () => {
    const bearer = await sign({
      sub: 'alice',
      subscribe: ['private:user:alice:*'],
      publish: ['private:user:alice:*'],
    });
    for (const channel of ['private:user:alice', 'private:user:alicex']) {
      const answer = await call(operation, api.url, channel, { bearer });
      expect(answer.status, channel).toBe(403);
      expect(codeOf(answer)).toBe('forbidden');
    }
    const inside = await call(operation, api.url, 'private:user:alice:x', { bearer });
    expect(operation.ok).toContain(inside.status);
  });

  it(`checks the ${operation.action} claim, not the other one`, async () => {
    const other = operation.action === 'publish' ? 'subscribe' : 'publish';
    const bearer = await sign({ sub: 'alice', subscribe: [], [other]: [ALICE] });
    const answer = await call(operation, api.url, ALICE, { bearer });
    expect(answer.status).toBe(403);
    expect(codeOf(answer)).toBe('forbidden');
  });

  it('never reads a token from ?token=', async () => {
    const answer = await call(operation, api.url, ALICE, { queryToken: await sign(aliceGrant) });
    expect(answer.status).toBe(401);
    expect(codeOf(answer)).toBe('unauthorized');
  });

  if (operation.method === 'POST') {
    it('refuses a token sent as the cookie: a cookie never authorizes a write', async () => {
      const answer = await call(operation, api.url, ALICE, { cookie: await sign(aliceGrant) });
      expect(answer.status).toBe(401);
      expect(codeOf(answer)).toBe('unauthorized');
    });
  } else {
    it('takes the token from the pushpull_token cookie', async () => {
      const answer = await call(operation, api.url, ALICE, { cookie: await sign(aliceGrant) });
      expect(operation.ok).toContain(answer.status);
    });
  }
});

describe.each(OPERATIONS)('$name on a public channel', (operation) => {
  it('needs no token and ignores a bad one', async () => {
    expect(operation.ok).toContain((await call(operation, api.url, 'auth-public')).status);
    for (const { token } of REFUSED_TOKENS) {
      const answer = await call(operation, api.url, 'auth-public', { bearer: await token() });
      expect(operation.ok).toContain(answer.status);
    }
  });
});

describe('POST /api/stream-cookie', () => {
  const setCookie = (headers: Record<string, string>) =>
    fetch(`${api.url}/api/stream-cookie`, { method: 'POST', headers });

  it('sets the token as an HttpOnly, SameSite=Strict cookie on /api that dies with the token', async () => {
    const token = await sign(aliceGrant, { expInS: 120 });
    const response = await setCookie({ Authorization: `Bearer ${token}` });
    expect(response.status).toBe(204);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toContain(`pushpull_token=${token}`);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/api/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(100);
    expect(maxAge).toBeLessThanOrEqual(120);
  });

  it('sets nothing without a valid Bearer token (a cookie cannot renew itself)', async () => {
    const token = await sign(aliceGrant);
    for (const [headers, code] of [
      [{}, 'unauthorized'],
      [{ Cookie: `pushpull_token=${token}` }, 'unauthorized'],
      [{ Authorization: `Bearer ${await sign(aliceGrant, { expInS: -5 })}` }, 'token_expired'],
      [
        { Authorization: `Bearer ${await sign(aliceGrant, { secret: 'x'.repeat(40) })}` },
        'unauthorized',
      ],
    ] as const) {
      const response = await setCookie(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(ErrorBodySchema.parse(await response.json()).error.code).toBe(code);
    }
  });
});

describe('CORS with credentials', () => {
  const origin = 'http://localhost:3000';

  it('lets the web origin send cookies to the routes and to hand-written streams', async () => {
    const preflight = await fetch(`${api.url}/api/stream-cookie`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');

    const controller = new AbortController();
    const stream = await fetch(`${api.url}/api/sse/auth-cors`, {
      headers: { Origin: origin },
      signal: controller.signal,
    });
    expect(stream.headers.get('access-control-allow-origin')).toBe(origin);
    expect(stream.headers.get('access-control-allow-credentials')).toBe('true');
    controller.abort();
  });

  it('never names an origin outside the list (without it, credentials are useless)', async () => {
    const response = await fetch(`${api.url}/api/poll/auth-cors`, {
      headers: { Origin: 'http://evil.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
