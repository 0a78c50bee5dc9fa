import { createConnection } from 'node:net';
import { ErrorBodySchema, REALTIME_NAMESPACE } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { eventually, publishAll } from './support/http';
import { expectErrorAnswer } from './support/limits';
import { rawExchange, type RawAnswer } from './support/raw-http';

const OPS_TOKEN = 'ops-token-for-tests-0123456789';
const ORIGIN = 'http://localhost:3000';
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({
    CORS_ORIGINS: ORIGIN,
    HEADERS_TIMEOUT_MS: '300',
    REQUEST_TIMEOUT_MS: '500',
    HEARTBEAT_MS: '50',
    LONG_POLL_MAX_WAIT_S: '1',
    OPS_TOKEN,
  });
});
afterAll(() => api.stop());

function expectHelmetHeaders(headers: Headers): void {
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
}

function expectRawError(answer: RawAnswer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(ErrorBodySchema.parse(JSON.parse(answer.body)).error.code).toBe('invalid_body');
}

describe('security headers', () => {
  it('are on JSON answers, poll pages and their 304s', async () => {
    expectHelmetHeaders((await fetch(`${api.url}/api/health`)).headers);
    const page = await fetch(`${api.url}/api/poll/h-poll`);
    expectHelmetHeaders(page.headers);
    const etag = page.headers.get('etag')!;
    const notModified = await fetch(`${api.url}/api/poll/h-poll`, {
      headers: { 'If-None-Match': etag },
    });
    expect(notModified.status).toBe(304);
    expectHelmetHeaders(notModified.headers);
  });

  it('are on SSE and NDJSON streams, which write their own headers, beside CORS', async () => {
    for (const path of ['sse', 'stream']) {
      const controller = new AbortController();
      const response = await fetch(`${api.url}/api/${path}/h-stream`, {
        headers: { Origin: ORIGIN },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      expectHelmetHeaders(response.headers);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      controller.abort();
    }
  });

  it('are on errors, including the router’s own, and CORS preflights still pass', async () => {
    for (const path of ['/api/nope', '/api/poll/BAD', '/api/poll/%ff', '/api/poll/x?after=bad']) {
      const response = await fetch(api.url + path);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expectHelmetHeaders(response.headers);
      ErrorBodySchema.parse(await response.json());
    }
    const preflight = await fetch(`${api.url}/api/channels/x/events`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('include nosniff on socket.io’s own HTTP answers', async () => {
    const handshake = await fetch(`${api.url}/socket.io/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('x-content-type-options')).toBe('nosniff');
    expect(REALTIME_NAMESPACE).toBe('/realtime');
  });

  it('are on engine.io’s own refusals, which carry the contract body', async () => {
    for (const query of ['EIO=4&transport=bogus', 'EIO=4&transport=polling&sid=nope', 'EIO=3']) {
      const answer = await fetch(`${api.url}/socket.io/?${query}`);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      await expectErrorAnswer(answer, 400, 'invalid_body');
    }
  });
});

describe('requests Node answers itself get the contract body', () => {
  it('417 for an Expect the server cannot meet', async () => {
    const answer = await rawExchange(
      api.port,
      'GET /api/health HTTP/1.1\r\nHost: localhost\r\nExpect: 200-ok\r\n\r\n',
    );
    expectRawError(answer, 417);
  });

  it('400 for an HTTP/1.1 request without Host', async () => {
    expectRawError(await rawExchange(api.port, 'GET /api/health HTTP/1.1\r\n\r\n'), 400);
  });

  it('400 for a malformed request line or header', async () => {
    expectRawError(await rawExchange(api.port, 'HELLO\r\n\r\n'), 400);
    expectRawError(await rawExchange(api.port, 'GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n'), 400);
    expectRawError(
      await rawExchange(api.port, 'GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      400,
    );
  });

  it('431 for headers, or a URL, too large', async () => {
    const big = 'a'.repeat(20_000);
    expectRawError(
      await rawExchange(api.port, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`),
      431,
    );
    expectRawError(
      await rawExchange(api.port, `GET /api/poll/${big} HTTP/1.1\r\nHost: x\r\n\r\n`),
      431,
    );
  });
});

describe('slow requests', () => {
  it('cuts headers trickled past HEADERS_TIMEOUT_MS with 408', async () => {
    const answer = await rawExchange(api.port, 'GET /api/health HTTP/1.1\r\nHost: x\r\n', {
      chunk: 'X-Slow: 1\r\n',
      everyMs: 50,
    });
    expectRawError(answer, 408);
  });

  it('lets go of a timed-out connection whose client never closes its side', async () => {
    // A half-open client: it keeps its side open after the server's FIN and reads nothing.
    const socket = createConnection({ port: api.port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
    const answered = new Promise<string>((resolve) =>
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    expect(await answered).toMatch(/^HTTP\/1\.1 408 /);
    // Writing into a socket the server destroyed ends in a reset: the descriptor is gone.
    await eventually(
      () => {
        if (socket.writable) socket.write('X-Still-There: 1\r\n');
        return socket.destroyed;
      },
      (destroyed) => destroyed,
      'the server to drop the connection',
    );
  });

  it('cuts a body trickled past REQUEST_TIMEOUT_MS with 408, and stores nothing', async () => {
    const head =
      'POST /api/channels/h-slow-body/events HTTP/1.1\r\nHost: x\r\n' +
      'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"type":"t","data":"';
    const answer = await rawExchange(api.port, head, { chunk: 'x', everyMs: 20 });
    expectRawError(answer, 408);
    const page = await (await fetch(`${api.url}/api/poll/h-slow-body`)).json();
    expect(page).toMatchObject({ events: [] });
  });

  it('leaves a stream open long past REQUEST_TIMEOUT_MS, still delivering', async () => {
    const controller = new AbortController();
    const response = await fetch(`${api.url}/api/stream/h-long`, { signal: controller.signal });
    // 30 heartbeats 50 ms apart: the stream has lived three times REQUEST_TIMEOUT_MS.
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while ((text.match(/"heartbeat"/g) ?? []).length < 30) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      text += decoder.decode(value, { stream: true });
    }
    await publishAll(api.url, 'h-long', ['still here']);
    while (!text.includes('still here')) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
  });

  it('holds a long poll for its whole wait, past REQUEST_TIMEOUT_MS, and answers 204', async () => {
    const response = await fetch(`${api.url}/api/long-poll/h-wait?wait=1`);
    expect(response.status).toBe(204);
  });
});

describe('ops endpoints with OPS_TOKEN', () => {
  it.each(['/metrics', '/api/connections'])(
    '%s answers 401 unauthorized with WWW-Authenticate: Bearer without the token or with a wrong one',
    async (path) => {
      for (const authorization of [undefined, 'Bearer wrong', `Basic ${OPS_TOKEN}`, OPS_TOKEN]) {
        const response = await fetch(api.url + path, {
          headers: authorization ? { Authorization: authorization } : {},
        });
        await expectErrorAnswer(response, 401, 'unauthorized');
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
      const allowed = await fetch(api.url + path, {
        headers: { Authorization: `Bearer ${OPS_TOKEN}` },
      });
      expect(allowed.status).toBe(200);
    },
  );

  it('leaves every other route open', async () => {
    expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${api.url}/api/poll/h-open`)).status).toBe(200);
  });
});

describe('client aborts', () => {
  async function abandonedRequests(): Promise<number> {
    const text = await (
      await fetch(`${api.url}/metrics`, { headers: { Authorization: `Bearer ${OPS_TOKEN}` } })
    ).text();
    return Number(/^pushpull_requests_abandoned_total (\d+)/m.exec(text)?.[1] ?? 0);
  }

  it('an upload cut off mid-body is counted and logged in one line, never as an error', async () => {
    const before = await abandonedRequests();
    for (let n = 0; n < 5; n++) {
      // `Expect: 100-continue` makes the server say when it has the headers and waits for the
      // body; then half a body, and the client is gone.
      const socket = createConnection(api.port, '127.0.0.1');
      socket.write(
        'POST /api/channels/h-abort/events HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n' +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
      );
      await new Promise((resolve) => socket.once('data', resolve));
      socket.write('{"type":');
      socket.destroy();
    }
    await eventually(abandonedRequests, (n) => n >= before + 5, 'the aborts to be noticed');
    expect(api.output()).not.toMatch(/ERROR|aborted\n\s+at /);
    const lines = api.output().split('\n');
    expect(
      lines.filter((line) =>
        line.includes('client went away mid-request: POST /api/channels/h-abort/events'),
      ),
    ).toHaveLength(5);
    expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
  });
});
