import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, type ChannelEvent, type Page } from '@pushpull/contracts';
import {
  runApiExpectingExit,
  runWorkerExpectingExit,
  startApi,
  type RunningApi,
} from '../src/testing/start-api';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ MAX_EVENT_BYTES: '1024', CORS_ORIGINS: 'http://localhost:3000' });
});
afterAll(() => api.stop());

const post = (path: string, body: string, contentType = 'application/json') =>
  fetch(api.url + path, { method: 'POST', headers: { 'Content-Type': contentType }, body });

/** Every failure must be the contract's error body with the expected status and code. */
async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = ErrorBodySchema.parse(await response.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

describe('publish', () => {
  it('answers 201 with the stored event, and the head moves to it', async () => {
    const response = await post(
      '/api/channels/pub-ok/events',
      JSON.stringify({ type: 'message', data: { text: 'hi' } }),
    );
    expect(response.status).toBe(201);
    const event = (await response.json()) as ChannelEvent;
    expect(event).toEqual({
      id: expect.any(String),
      channel: 'pub-ok',
      type: 'message',
      data: { text: 'hi' },
      ts: expect.any(Number),
    });
    expect(Math.abs(event.ts - Date.now())).toBeLessThan(60_000);
    const headResponse = await fetch(`${api.url}/api/channels/pub-ok`);
    expect(headResponse.headers.get('cache-control')).toBe('no-store');
    expect(await headResponse.json()).toEqual({ channel: 'pub-ok', head: event.id });
  });

  it('accepts null data and a charset in the content type', async () => {
    const response = await post(
      '/api/channels/pub-null/events',
      '{"type":"t","data":null}',
      'application/json; charset=utf-8',
    );
    expect(response.status).toBe(201);
  });

  it('refuses a bad channel name with 400 invalid_channel, whatever the body', async () => {
    await expectError(
      await post('/api/channels/BAD%20NAME/events', '{}', 'application/x-www-form-urlencoded'),
      400,
      'invalid_channel',
    );
    await expectError(
      await post('/api/channels/Upper/events', '{"type":"t","data":1}'),
      400,
      'invalid_channel',
    );
  });

  it('refuses a client publish to a job: channel with 403 forbidden', async () => {
    await expectError(
      await post('/api/channels/job:1/events', '{"type":"t","data":1}'),
      403,
      'forbidden',
    );
  });

  it('refuses malformed and empty JSON with 400 invalid_json', async () => {
    await expectError(await post('/api/channels/demo/events', '{"type":'), 400, 'invalid_json');
    await expectError(await post('/api/channels/demo/events', ''), 400, 'invalid_json');
  });

  it('refuses a body that breaks the schema with 400 invalid_body and says where', async () => {
    const error = await expectError(
      await post('/api/channels/demo/events', '{"type":"","data":1}'),
      400,
      'invalid_body',
    );
    expect(error.details?.[0]?.path).toBe('type');
    await expectError(await post('/api/channels/demo/events', '{"type":"t"}'), 400, 'invalid_body');
    await expectError(await post('/api/channels/demo/events', '[1,2]'), 400, 'invalid_body');
  });

  it('refuses data nested deeper than 32 levels with 400 invalid_body', async () => {
    const deep = '['.repeat(33) + ']'.repeat(33);
    await expectError(
      await post('/api/channels/demo/events', `{"type":"t","data":${deep}}`),
      400,
      'invalid_body',
    );
    const ok = '['.repeat(32) + ']'.repeat(32);
    expect((await post('/api/channels/demo/events', `{"type":"t","data":${ok}}`)).status).toBe(201);
  });

  it('refuses prototype-poisoning keys with 400 invalid_body, as socket.io does, and says where', async () => {
    const error = await expectError(
      await post('/api/channels/demo/events', '{"type":"t","data":{"a":{"__proto__":{"x":1}}}}'),
      400,
      'invalid_body',
    );
    expect(error.details?.[0]?.path).toBe('data.a.__proto__');
    const relay = '{"type":"t","data":{"constructor":{"prototype":{"x":1}}},"channel":"demo"}';
    await expectError(
      await post('/api/jobs', `{"type":"relay","input":${relay}}`),
      400,
      'invalid_body',
    );
  });

  it('refuses a body over MAX_EVENT_BYTES with 413 payload_too_large', async () => {
    const big = JSON.stringify({ type: 't', data: 'x'.repeat(2000) });
    const error = await expectError(
      await post('/api/channels/demo/events', big),
      413,
      'payload_too_large',
    );
    expect(error.message).toContain('1024');
  });

  it('refuses other media types with 415 unsupported_media_type', async () => {
    await expectError(
      await post('/api/channels/demo/events', 'type=t', 'application/x-www-form-urlencoded'),
      415,
      'unsupported_media_type',
    );
    await expectError(
      await post('/api/channels/demo/events', '<a/>', 'application/xml'),
      415,
      'unsupported_media_type',
    );
  });

  it('loses nothing: after every refusal the channel holds exactly the accepted events', async () => {
    await post('/api/channels/keep/events', '{"type":"t","data":1}');
    await post('/api/channels/keep/events', '{"type":');
    await post('/api/channels/keep/events', JSON.stringify({ type: 't', data: 'x'.repeat(5000) }));
    await post('/api/channels/keep/events', '{"type":"t","data":2}');
    const page = (await (await fetch(`${api.url}/api/poll/keep`)).json()) as Page;
    expect(page.events.map((e) => e.data)).toEqual([1, 2]);
  });
});

describe('every route speaks the error contract', () => {
  it('answers an unknown route with 404 not_found', async () => {
    await expectError(await fetch(`${api.url}/nope`), 404, 'not_found');
    await expectError(await fetch(`${api.url}/api/nope/deeper`), 404, 'not_found');
  });

  it('answers paths the router cannot decode in the contract shape too', async () => {
    await expectError(await fetch(`${api.url}/api/poll/%ff`), 400, 'invalid_channel');
    await expectError(await fetch(`${api.url}/api/sse/${'a'.repeat(101)}`), 400, 'invalid_channel');
    await expectError(await fetch(`${api.url}/api/%ff`), 404, 'not_found');
  });

  it('answers an OPTIONS request that is not a preflight without a plain-text error', async () => {
    const response = await fetch(`${api.url}/api/poll/demo`, { method: 'OPTIONS' });
    expect(response.headers.get('content-type') ?? '').not.toContain('text/plain');
    expect(response.status).toBeLessThan(400);
  });

  it('answers a bad channel on the head route with 400', async () => {
    await expectError(await fetch(`${api.url}/api/channels/NOPE`), 400, 'invalid_channel');
  });

  it('stays up and answers correctly after a burst of hostile requests', async () => {
    const hostile = [
      post('/api/channels/demo/events', '{"type":'),
      post('/api/channels/demo/events', ''),
      post(
        '/api/channels/demo/events',
        `{"type":"t","data":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      ),
      post('/api/channels/demo/events', '{"type":"t","data":{"__proto__":{"admin":true}}}'),
      post('/api/channels/demo/events', JSON.stringify({ type: 't', data: 'x'.repeat(100_000) })),
      post('/api/channels/demo/events', '<a/>', 'application/xml'),
      post('/api/channels/job:1/events', '{"type":"t","data":1}'),
      fetch(`${api.url}/api/poll/%ff`),
      fetch(`${api.url}/api/poll/demo?after=not-a-cursor`),
      fetch(`${api.url}/api/sse/${'a'.repeat(5000)}`),
      fetch(`${api.url}/api/long-poll/demo?wait=-1`),
      fetch(`${api.url}/api/${'x/'.repeat(2000)}`),
    ];
    for (const response of await Promise.all(hostile)) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      ErrorBodySchema.parse(await response.json());
    }

    expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
    const published = await post('/api/channels/still-up/events', '{"type":"t","data":"ok"}');
    expect(published.status).toBe(201);
    const event = (await published.json()) as ChannelEvent;
    const page = (await (await fetch(`${api.url}/api/poll/still-up`)).json()) as Page;
    expect(page.events).toEqual([event]);
  });
});

describe('CORS', () => {
  it('allows the configured origin, exposes ETag and X-Closing, and caches preflights', async () => {
    const preflight = await fetch(`${api.url}/api/poll/demo`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:3000',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'if-none-match',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'if-none-match',
    );
    expect(Number(preflight.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    const get = await fetch(`${api.url}/api/poll/demo`, {
      headers: { Origin: 'http://localhost:3000' },
    });
    expect(get.headers.get('access-control-expose-headers')).toContain('ETag');
    // A long poll's drain 204 says `X-Closing: shutdown`: the browser client must be able to read it.
    expect(get.headers.get('access-control-expose-headers')).toContain('X-Closing');
  });

  it('does not allow an origin outside the list', async () => {
    const response = await fetch(`${api.url}/api/poll/demo`, {
      headers: { Origin: 'http://evil.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('configuration', () => {
  it.each([
    ['PORT', 'abc'],
    ['MAX_EVENT_BYTES', '-5'],
    ['HISTORY_SIZE', '0'],
    ['BACKPLANE', 'kafka'],
    ['QUEUE', 'sqs'],
    ['MAX_ATTEMPTS', '0'],
    ['CORS_ORIGINS', 'not a url'],
    ['CORS_ORIGINS', 'http://localhost:3000/'],
  ])('exits 1 with one line naming %s when it is %j', async (name, value) => {
    const { code, stderr } = await runApiExpectingExit({ [name]: value });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });

  it.each([
    ['MAX_ATTEMPTS', '0'],
    ['RETRY_BASE_MS', 'soon'],
    ['QUEUE_PREFIX', 'Has Spaces'],
  ])(
    'gives the worker the same rule and one-line message as the API for %s=%j',
    async (name, value) => {
      const api = await runApiExpectingExit({ [name]: value });
      const worker = await runWorkerExpectingExit({ QUEUE: 'rabbitmq', [name]: value });
      expect(api.stderr).toContain(`${name}=${JSON.stringify(value)}`);
      expect(worker.code).toBe(1);
      const [line, ...rest] = worker.stderr.trim().split('\n');
      expect(rest).toEqual([]);
      expect(line).toContain(api.stderr.trim()); // the worker prefixes its lines with its pid
    },
  );
});
