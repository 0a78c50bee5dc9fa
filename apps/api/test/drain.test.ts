import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteBackplaneKeys, startApi, type RunningApi } from '../src/testing/start-api';
import { isRefused, NEVER_REACHED, publishOnce, readLog } from './support/drain';
import { connections, eventually, range, readUntil } from './support/http';
import { connectSocket } from './support/sockets';
import { REDIS_URL } from './support/servers';

// docs/architecture.md, "Shutdown and drain": not ready at once, serving on for SHUTDOWN_DELAY_MS,
// then held connections are told `shutdown`, requests already received are answered, exit 0.
const prefix = `test-drain-${process.pid}-${Date.now().toString(36)}`;
const env = {
  BACKPLANE: 'redis',
  BACKPLANE_PREFIX: prefix,
  REDIS_URL,
  SHUTDOWN_DELAY_MS: '1000',
  SHUTDOWN_TIMEOUT_MS: '10000',
  MAX_CONNECTIONS_PER_IP: '0',
  WRITE_RATE_PER_S: '100000',
  WRITE_BURST: '100000',
  HISTORY_SIZE: '100000',
};
afterAll(() => deleteBackplaneKeys(REDIS_URL, prefix));

const PUBLISHERS = 10;
const CHANNEL = 'drain';
/** Held connections wait here, where nothing is published, so only the drain answers them. */
const QUIET = 'drain-quiet';

const publishBody = (data: string) => JSON.stringify({ type: 'n', data });

/** Publishes in a loop until the listener refuses connections; every outcome by its data. */
async function publishUntilRefused(api: RunningApi, name: string) {
  const outcomes = new Map<string, number | string>();
  for (let n = 0; ; n += 1) {
    const data = `${name}-${n}`;
    const outcome = await publishOnce(api.url, CHANNEL, data);
    outcomes.set(data, outcome);
    if (outcome === 'ECONNREFUSED') return outcomes;
  }
}

/**
 * A publish whose headers and half its body are sent now and the rest on `finish()`. With
 * `allowHalfOpen`, the client does not close its side when the server closes its own (a client
 * that never lets go: only the server's grace timer ends the connection).
 */
async function halfSentPublish(api: RunningApi, data: string, { allowHalfOpen = false } = {}) {
  const socket = createConnection({ port: api.port, host: '127.0.0.1', allowHalfOpen });
  socket.on('error', () => undefined); // a reset is an outcome here, read from what arrived
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const ended = once(socket, 'close');
  const body = publishBody(data);
  const half = Math.floor(body.length / 2);
  socket.write(
    `POST /api/channels/${CHANNEL}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, half)}`,
  );
  return {
    /** Sends the rest (without half-closing: Node would take that as the client leaving). */
    finish: async () => {
      socket.write(body.slice(half));
      await Promise.race([once(socket, 'data'), ended]);
      socket.destroy();
      return Number(received.split(' ')[1]);
    },
    abandon: () => socket.destroy(),
    /** Sends nothing more: the status the server answered with before closing the connection. */
    status: async () => {
      await ended;
      return Number(received.split(' ')[1]);
    },
  };
}

/** A bare connection: what it is sent comes later; `status` is what the server answered. */
async function rawConnection(api: RunningApi) {
  const socket = createConnection({ port: api.port, host: '127.0.0.1' });
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined); // a dropped connection is reset: what it got is the point
  const ended = new Promise((resolve) => socket.once('close', resolve));
  return {
    socket,
    /** Everything the server sent before the connection closed. */
    received: async () => {
      await ended;
      return received;
    },
    status: async () => {
      await ended;
      return Number(received.split(' ')[1]);
    },
  };
}

describe('drain on SIGTERM (BACKPLANE=redis, SHUTDOWN_DELAY_MS=1000)', () => {
  it('goes unready, serves on, tells held connections, answers what it received, exits 0', async () => {
    const api = await startApi(env);
    const head = (
      (await (await fetch(`${api.url}/api/channels/${QUIET}`)).json()) as {
        head: string;
      }
    ).head;
    const sse = fetch(`${api.url}/api/sse/${QUIET}?after=${head}`);
    const longPoll = fetch(`${api.url}/api/long-poll/${QUIET}?after=${head}&wait=30`);
    const socket = await connectSocket(api.url);
    await eventually(
      () => connections(api.url),
      (c) => c.streams.sse === 1 && c.longPollWaiters === 1 && c.streams.websocket === 1,
      'the stream, the long poll and the socket to be held',
    );
    const sseText = sse.then((response) => readUntil(response, (text) => text.includes('closing')));
    const halfSent = await halfSentPublish(api, 'half-sent');

    api.signal('SIGTERM');
    const signalledAt = Date.now();
    const ready = await eventually(
      () => fetch(`${api.url}/api/ready`),
      (response) => response.status === 503,
      '/api/ready to answer 503',
    );
    expect(Date.now() - signalledAt).toBeLessThan(500);
    expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
    // Still serving through the delay: a publish is taken and stored.
    expect(await publishOnce(api.url, CHANNEL, 'during-delay')).toBe(201);

    const publishers = await Promise.all(
      range(1, PUBLISHERS).map((n) => publishUntilRefused(api, `p${n}`)),
    );
    await eventually(() => isRefused(api.url), Boolean, 'the listener to close');
    // Received before the listener closed, finished after: it is answered, not cut.
    const halfSentStatus = await halfSent.finish();

    // The drain's 204 says why, so a client tells it from a wait that ran out (and a browser may
    // read it across origins).
    const drained = await longPoll;
    expect(drained.status).toBe(204);
    expect(drained.headers.get('x-closing')).toBe('shutdown');
    expect(await sseText).toMatch(/event: closing\ndata: \{"code":"shutdown"/);
    await eventually(
      () => socket.connected,
      (connected) => !connected,
      'the socket to drop',
    );
    expect(socket.closings).toEqual([expect.objectContaining({ code: 'shutdown' })]);
    expect(await api.exited).toBe(0);
    expect(halfSentStatus).toBe(201);

    // Every publish got its answer (201) or never reached the server: refused once the listener
    // closed, or reset by the OS from the accept queue the closing listener never took it from.
    const outcomes = publishers.flatMap((map) => [...map]);
    const unanswered = outcomes.filter(([, outcome]) => outcome !== 201);
    expect(unanswered.filter(([, outcome]) => !NEVER_REACHED.has(outcome as string))).toEqual([]);
    const answered = outcomes.filter(([, outcome]) => outcome === 201).map(([data]) => data);
    expect(answered.length).toBeGreaterThan(0);

    // Durable: a new instance on the same prefix reads back every event answered 201.
    const reader = await startApi(env);
    try {
      const stored = new Set(
        (await readLog(reader.url, CHANNEL)).map((event) => event.data as string),
      );
      expect(answered.filter((data) => !stored.has(data))).toEqual([]);
      // Nothing unanswered was stored: no publish was written and then cut before its answer.
      expect(unanswered.filter(([data]) => stored.has(data))).toEqual([]);
      expect(stored.has('during-delay')).toBe(true);
      expect(stored.has('half-sent')).toBe(true);
    } finally {
      await reader.stop();
    }
    expect(api.output()).toContain('drained');
  });
});

describe('a request whose body stalls during the drain', () => {
  it('is answered 408 before SHUTDOWN_TIMEOUT_MS, and the drain still exits 0', async () => {
    const api = await startApi({ SHUTDOWN_TIMEOUT_MS: '6000' });
    const stalled = await halfSentPublish(api, 'stalled');
    api.signal('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(api.output()).toContain('drained');
    expect(await stalled.status()).toBe(408);
  });
});

describe('a connection whose request has not arrived at the drain', () => {
  // Node counts such a connection busy, not idle (a browser's preconnect is one), and stops its
  // own headersTimeout checks with the listener: without the drain's help it is never let go.
  it('is dropped as the listener closes, whether it sent nothing or part of its headers', async () => {
    const api = await startApi({ SHUTDOWN_TIMEOUT_MS: '6000' });
    const silent = await rawConnection(api);
    const partial = await rawConnection(api);
    partial.socket.write(`POST /api/channels/${CHANNEL}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    api.signal('SIGTERM');
    expect(await api.exited).toBe(0);
    expect([await silent.received(), await partial.received()]).toEqual(['', '']);
    // Dropped, not kept until the 408 cut near the deadline.
    expect(api.output()).not.toContain('still arriving near the deadline');
  });
});

describe('a socket.io client that stopped reading at the drain', () => {
  it('is cut after its closing grace, and the drain exits 0', async () => {
    const api = await startApi({ SHUTDOWN_TIMEOUT_MS: '6000' });
    const socket = await connectSocket(api.url);
    await socket.emitWithAck('subscribe', { channel: QUIET });
    // Paused at the TCP level: it never reads the close, so never answers it (ws waits 30 s).
    (
      socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }
    ).ws._socket.pause();
    api.signal('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(api.output()).toContain('drained');
    socket.close();
  });
});

describe('drain past SHUTDOWN_TIMEOUT_MS', () => {
  it('exits 1 when a connection outlives the bound', async () => {
    // Its request is answered 408 at once (the bound is shorter than the 408's margin), but the
    // client keeps the connection, and the server lets go of it only after a second.
    const api = await startApi({ SHUTDOWN_TIMEOUT_MS: '500' });
    const stuck = await halfSentPublish(api, 'never-finished', { allowHalfOpen: true });
    api.signal('SIGTERM');
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/not drained within SHUTDOWN_TIMEOUT_MS/);
    stuck.abandon();
  });
});

describe('a stop signal during start-up', () => {
  it('exits 0: nothing is held yet, and dying by the signal would read as a crash', async () => {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../dist/main.js')], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      child.once('exit', (code, signal) => resolve([code, signal])),
    );
    // Nest has begun building the app (every module is loaded) and is not listening yet. (The
    // pipe stays read to the end: closing it would make the child's next log line fail.)
    let stdout = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Starting Nest application')) resolve();
      }),
    );
    child.stderr.resume();
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });
});
