import { ErrorBodySchema } from '@pushpull/contracts';
import { connect as connectTcp } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { connections, eventually, publishAll, range, readUntil } from './support/http';
import { dechunk } from './support/raw-http';

// What SSE and NDJSON streaming share: the frame writer, headers, CORS, heartbeats, teardown and
// the slow-reader bound. Frame spelling is tested per mechanism in sse.test.ts / streaming.test.ts.
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({
    HEARTBEAT_MS: '100',
    SLOW_READER_MAX_BYTES: '65536',
    // The slow-reader tests publish megabytes from one client; writes are limited elsewhere.
    WRITE_RATE_PER_S: '0',
  });
});
afterAll(() => api.stop());

const MECHANISMS = [
  { name: 'sse', path: 'sse', contentType: 'text/event-stream', heartbeat: ': ping\n\n' },
  {
    name: 'streaming',
    path: 'stream',
    contentType: 'application/x-ndjson',
    heartbeat: '"kind":"heartbeat"',
  },
] as const;

describe.each(MECHANISMS)('$name streams', ({ name, path, contentType, heartbeat }) => {
  const open = (channel: string, init: RequestInit = {}) =>
    fetch(`${api.url}/api/${path}/${channel}`, init);

  it('answers with streaming headers, no compression, and CORS written by hand', async () => {
    const controller = new AbortController();
    const response = await open(`${name}-headers`, {
      signal: controller.signal,
      headers: { Origin: 'http://localhost:3000', 'Accept-Encoding': 'gzip, br' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(contentType);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    controller.abort();
  });

  it('answers HEAD with the stream headers and no stream', async () => {
    const response = await open(`${name}-head`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(contentType);
    expect(await response.text()).toBe('');
  });

  it('replays a backlog larger than the slow-reader bound to a reader that keeps up', async () => {
    const channel = `${name}-big-backlog`;
    await publishAll(
      api.url,
      channel,
      range(1, 100).map(() => 'y'.repeat(1000)),
    ); // ~110 KB > 64 KiB
    const text = await readUntil(
      await open(channel),
      (t) => (t.match(/yyyy/g) ?? []).length >= 100 || t.includes('slow_consumer'),
    );
    expect(text).not.toContain('slow_consumer');
  });

  it('sends heartbeats while the channel is idle', async () => {
    const text = await readUntil(await open(`${name}-idle`), (t) => t.split(heartbeat).length > 2);
    expect(text.split(heartbeat).length).toBeGreaterThan(2);
  });

  it('sends heartbeats on every idle stream, opened at different times, from one shared clock', async () => {
    const opened: Response[] = [];
    for (const i of range(1, 5)) {
      opened.push(await open(`${name}-idle-many-${i}`));
      await new Promise((resolve) => setTimeout(resolve, 37)); // spread over the period
    }
    const texts = await Promise.all(
      opened.map((response) => readUntil(response, (t) => t.split(heartbeat).length > 3)),
    );
    for (const text of texts) expect(text.split(heartbeat).length).toBeGreaterThan(3);
  });

  it('answers a bad channel or cursor with a JSON error, not a stream', async () => {
    for (const [url, code] of [
      [`${api.url}/api/${path}/Bad%20Name`, 'invalid_channel'],
      [`${api.url}/api/${path}/ok?after=nope`, 'invalid_cursor'],
    ] as const) {
      const response = await fetch(url);
      expect(response.status).toBe(400);
      expect(ErrorBodySchema.parse(await response.json()).error.code).toBe(code);
    }
  });

  it('frees the stream, its heartbeat and its subscription when 50 clients go away', async () => {
    const controllers = range(1, 50).map(() => new AbortController());
    await Promise.all(controllers.map((c) => open(`${name}-leak`, { signal: c.signal })));
    const held = await connections(api.url);
    expect(held.streams[name]).toBe(50);
    expect(held.upstreamFeeds).toBe(1);
    controllers.forEach((c) => c.abort());
    const after = await eventually(
      () => connections(api.url),
      (c) => c.streams[name] === 0,
      'streams freed',
    );
    expect(after.upstreamFeeds).toBe(0);
  });

  it('cuts a reader that stops reading with closing: slow_consumer, and never buffers without bound', async () => {
    const channel = `${name}-slow`;
    const before = (await connections(api.url)).slowConsumersCut;
    // A raw socket that sends the request and then never reads a byte.
    const socket = connectTcp(api.port, '127.0.0.1');
    socket.write(`GET /api/${path}/${channel} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    socket.pause();
    await eventually(
      () => connections(api.url),
      (c) => c.streams[name] === 1,
      'the stream to open',
    );

    const payload = 'x'.repeat(15_000);
    for (let sent = 0; sent < 3000; sent += 50) {
      await publishAll(
        api.url,
        channel,
        range(1, 50).map(() => payload),
      );
      if ((await connections(api.url)).slowConsumersCut > before) break;
    }
    const after = await eventually(
      () => connections(api.url),
      (c) => c.streams[name] === 0,
      'the slow stream to be cut',
    );
    expect(after.slowConsumersCut).toBe(before + 1);

    // Reading now, the response ends (the last chunk, `0`) and its last frame is the closing one.
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.resume();
    await eventually(
      () => received,
      (text) => text.endsWith('\r\n0\r\n\r\n'),
      'the end of the response',
    );
    socket.destroy();
    expect(received).toContain('slow_consumer');
    expect(received.lastIndexOf('slow_consumer')).toBeGreaterThan(received.lastIndexOf('"ts":'));
  });

  // Frames usually go on the socket as chunks built once per event. A stream pipelined behind a
  // held request has no socket yet: its frames must wait their turn, and both bodies stay whole.
  it('frames a stream pipelined behind a held long poll after that answer, as whole chunks', async () => {
    const channel = `${name}-pipelined`;
    const socket = connectTcp(api.port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    socket.write(
      `GET /api/long-poll/${channel}?wait=5 HTTP/1.1\r\nHost: localhost\r\n\r\n` +
        `GET /api/${path}/${channel} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
    );
    await eventually(
      () => connections(api.url),
      (c) => c.streams[name] === 1,
      'the pipelined stream to open',
    );
    await publishAll(api.url, channel, ['first', 'second']);
    const text = () => received.toString('latin1');
    await eventually(
      text,
      (t) => t.includes('second', t.lastIndexOf('HTTP/1.1 200')),
      'both events',
    );
    socket.destroy();

    const [held, stream] = text().split(/(?=HTTP\/1\.1 )/);
    expect(held).toMatch(/^HTTP\/1\.1 200/);
    expect(held).toContain('"first"');
    const streamHead = stream!.indexOf('\r\n\r\n');
    expect(stream!.slice(0, streamHead)).toMatch(/transfer-encoding: chunked/i);
    const body = received.subarray(received.length - (stream!.length - streamHead - 4));
    const frames = dechunk(body).chunks.join('');
    expect(frames.indexOf('"first"')).toBeGreaterThan(-1);
    expect(frames.indexOf('"second"')).toBeGreaterThan(frames.indexOf('"first"'));
  });

  it('writes every frame as one whole chunk', async () => {
    const channel = `${name}-chunks`;
    const socket = connectTcp(api.port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    socket.write(`GET /api/${path}/${channel} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    await eventually(
      () => connections(api.url),
      (c) => c.streams[name] === 1,
      'the stream to open',
    );
    await publishAll(api.url, channel, ['ü'.repeat(3000), 'plain']);
    const body = () => received.subarray(received.indexOf('\r\n\r\n') + 4);
    await eventually(
      () => dechunk(body()).chunks,
      (chunks) => chunks.some((c) => c.includes('plain')),
      'both events',
    );
    socket.destroy();
    const chunks = dechunk(body()).chunks;
    const events = chunks.filter((c) => c.includes('"channel"'));
    expect(events).toHaveLength(2);
    expect(events[0]).toContain('ü'.repeat(3000));
  });
});
