import { createConnection } from 'node:net';
import type { ConnectionCounts } from '@pushpull/contracts';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { connections, eventually, publishAll, range } from './support/http';
import { expectErrorAnswer, from } from './support/limits';
import { connectSocket, type RealtimeClient } from './support/sockets';

const LIMIT = 3;
let api: RunningApi;
const sockets: RealtimeClient[] = [];
const aborts: AbortController[] = [];
beforeAll(async () => {
  api = await startApi({
    TRUST_PROXY: 'true',
    MAX_CONNECTIONS_PER_IP: String(LIMIT),
    MAX_CHANNELS_PER_SOCKET: '3',
    SLOW_READER_MAX_BYTES: '65536',
    // The slow-consumer test publishes megabytes to fill a paused reader's socket buffers.
    WRITE_RATE_PER_S: '0',
  });
});
afterEach(async () => {
  sockets.splice(0).forEach((socket) => socket.disconnect());
  aborts.splice(0).forEach((controller) => controller.abort());
  await eventually(() => connections(api.url), nothingHeld, 'every connection to be let go');
});
afterAll(() => api.stop());

const nothingHeld = (counts: ConnectionCounts) =>
  counts.longPollWaiters === 0 && Object.values(counts.streams).every((n) => n === 0);

type Held = 'sse' | 'stream' | 'long-poll';

/** Opens a held HTTP connection; resolves with the answer (at once for streams and refusals). */
function openHeld(kind: Held, ip: string, channel: string): Promise<Response> {
  const controller = new AbortController();
  aborts.push(controller);
  const query = kind === 'long-poll' ? '?wait=30' : '';
  const answer = fetch(`${api.url}/api/${kind}/${channel}${query}`, {
    headers: from(ip),
    signal: controller.signal,
  });
  answer.catch(() => undefined); // a held poll that is never awaited rejects when aborted
  return answer;
}

/** Holds `count` connections of `kind` from `ip`, waiting until the server counts them. */
async function hold(kind: Held, ip: string, count: number): Promise<void> {
  const before = await connections(api.url);
  const answers = range(1, count).map(() => openHeld(kind, ip, `held-${kind}`));
  if (kind === 'long-poll') {
    await eventually(
      () => connections(api.url),
      (c) => c.longPollWaiters === before.longPollWaiters + count,
      'the long polls to be held',
    );
  } else {
    for (const answer of await Promise.all(answers)) expect(answer.status).toBe(200);
  }
}

async function socketFrom(ip: string): Promise<RealtimeClient> {
  const socket = await connectSocket(api.url, ['websocket'], from(ip));
  sockets.push(socket);
  return socket;
}

/** The `data` of the `connect_error` a refused handshake gets. */
async function refusedHandshake(ip: string): Promise<unknown> {
  const error = await connectSocket(api.url, ['websocket'], from(ip)).then(
    (socket) => {
      sockets.push(socket);
      throw new Error('the socket was let in');
    },
    (error: Error & { data?: unknown }) => error,
  );
  return error.data;
}

/** Proves `ip`'s count is back to 0: exactly LIMIT streams open again, and one more is refused. */
async function expectFullAllowance(ip: string): Promise<void> {
  await hold('sse', ip, LIMIT);
  await expectErrorAnswer(await openHeld('sse', ip, 'one-more'), 429, 'rate_limited');
  aborts.splice(0).forEach((controller) => controller.abort());
  await eventually(() => connections(api.url), nothingHeld, 'the streams to be let go');
}

describe('held connections per client IP', () => {
  it.each<Held>(['sse', 'stream', 'long-poll'])(
    'holds MAX_CONNECTIONS_PER_IP %s connections and answers one more 429 rate_limited',
    async (kind) => {
      const ip = `10.3.1.${['sse', 'stream', 'long-poll'].indexOf(kind)}`;
      await hold(kind, ip, LIMIT);
      await expectErrorAnswer(await openHeld(kind, ip, `held-${kind}`), 429, 'rate_limited');
    },
  );

  it('refuses a socket over the limit at the handshake with connect_error data.code rate_limited', async () => {
    for (const _ of range(1, LIMIT)) await socketFrom('10.3.2.1');
    expect(await refusedHandshake('10.3.2.1')).toEqual({
      code: 'rate_limited',
      message: expect.any(String),
    });
  });

  it('counts every engine.io connection, to the default namespace or to none, and closes one over the limit', async () => {
    const ip = '10.3.2.9';
    // Bare engine.io sessions (a polling handshake, no namespace) and a socket on `/`.
    const handshake = () =>
      fetch(`${api.url}/socket.io/?EIO=4&transport=polling`, { headers: from(ip) });
    for (const _ of range(1, LIMIT - 1)) expect((await handshake()).status).toBe(200);
    const root = io(api.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: from(ip),
    });
    await new Promise<void>((resolve) => root.once('connect', () => resolve()));
    try {
      await expectErrorAnswer(await openHeld('sse', ip, 'engine-held'), 429, 'rate_limited');
      expect(await refusedHandshake(ip)).toMatchObject({ code: 'rate_limited' });
      // One more bare session is let through the handshake, then closed: its id stops working.
      const over = await handshake();
      const sid = (JSON.parse((await over.text()).slice(1)) as { sid: string }).sid;
      await eventually(
        () =>
          fetch(`${api.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { headers: from(ip) }),
        (answer) => answer.status === 400,
        'the session over the limit to be closed',
      );
    } finally {
      root.disconnect();
    }
  });

  it('counts streams, held long polls and sockets together, per IP, and keeps serving others', async () => {
    const ip = '10.3.3.1';
    await hold('sse', ip, 1);
    await hold('stream', ip, 1);
    await hold('long-poll', ip, 1);
    expect(await refusedHandshake(ip)).toMatchObject({ code: 'rate_limited' });
    const refused = await Promise.all(range(1, 20).map(() => openHeld('sse', ip, 'flood')));
    for (const answer of refused) await expectErrorAnswer(answer, 429, 'rate_limited');

    // The limited client still reads and polls; another client still holds connections.
    expect((await fetch(`${api.url}/api/health`, { headers: from(ip) })).status).toBe(200);
    expect((await fetch(`${api.url}/api/poll/flood`, { headers: from(ip) })).status).toBe(200);
    await hold('sse', '10.3.3.2', 1);
    await socketFrom('10.3.3.2');
  });

  it('a poll answered at once is not held and does not count', async () => {
    const ip = '10.3.4.1';
    await publishAll(api.url, 'ready', [1]);
    await hold('sse', ip, LIMIT);
    const answer = await fetch(`${api.url}/api/long-poll/ready`, { headers: from(ip) });
    expect(answer.status).toBe(200);
  });
});

describe('the count is freed on every way out', () => {
  it('when stream clients go away', async () => {
    const ip = '10.4.1.1';
    await hold('sse', ip, 2);
    await hold('stream', ip, 1);
    aborts.splice(0).forEach((controller) => controller.abort());
    await eventually(() => connections(api.url), nothingHeld, 'streams let go');
    await expectFullAllowance(ip);
  });

  it('when a stream is refused for a bad cursor before it opens', async () => {
    const ip = '10.4.2.1';
    for (const _ of range(1, LIMIT + 2)) {
      const answer = await fetch(`${api.url}/api/sse/bad-cursor?after=nope`, { headers: from(ip) });
      await expectErrorAnswer(answer, 400, 'invalid_cursor');
    }
    await expectFullAllowance(ip);
  });

  it('when held long polls are answered by an event, by their wait running out, or left', async () => {
    const ip = '10.4.3.1';
    const woken = openHeld('long-poll', ip, 'lp-wake');
    const timedOut = fetch(`${api.url}/api/long-poll/lp-timeout?wait=1`, { headers: from(ip) });
    void openHeld('long-poll', ip, 'lp-leave');
    await eventually(
      () => connections(api.url),
      (c) => c.longPollWaiters === 3,
      'three held',
    );
    await publishAll(api.url, 'lp-wake', [1]);
    expect((await woken).status).toBe(200);
    expect((await timedOut).status).toBe(204);
    aborts.splice(0).forEach((controller) => controller.abort());
    await eventually(() => connections(api.url), nothingHeld, 'long polls let go');
    await expectFullAllowance(ip);
  });

  it('when sockets disconnect, and refused handshakes never count', async () => {
    const ip = '10.4.4.1';
    for (const _ of range(1, LIMIT)) await socketFrom(ip);
    for (const _ of range(1, 5))
      expect(await refusedHandshake(ip)).toMatchObject({ code: 'rate_limited' });
    sockets.splice(0).forEach((socket) => socket.disconnect());
    await eventually(() => connections(api.url), nothingHeld, 'sockets let go');
    // The count drops when each engine.io connection has closed on the server, a moment after
    // the namespace's disconnect: wait until LIMIT held streams are let in again.
    await eventually(
      async () => {
        const answers = await Promise.all(range(1, LIMIT).map(() => openHeld('sse', ip, 'probe')));
        aborts.splice(0).forEach((controller) => controller.abort());
        await eventually(() => connections(api.url), nothingHeld, 'the probes to be let go');
        return answers.map((answer) => answer.status);
      },
      (statuses) => statuses.every((status) => status === 200),
      'the engine connections to close',
    );
    await expectFullAllowance(ip);
  });

  it('when the server cuts a slow consumer', async () => {
    const ip = '10.4.5.1';
    const before = (await connections(api.url)).slowConsumersCut;
    const reader = createConnection(api.port, '127.0.0.1');
    reader.write(`GET /api/sse/slow HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: ${ip}\r\n\r\n`);
    reader.pause(); // and never read
    await eventually(
      () => connections(api.url),
      (c) => c.streams.sse === 1,
      'the stream',
    );
    const payload = 'x'.repeat(15_000);
    for (let sent = 0; sent < 3000; sent += 50) {
      await publishAll(
        api.url,
        'slow',
        range(1, 50).map(() => payload),
      );
      if ((await connections(api.url)).slowConsumersCut > before) break;
    }
    await eventually(() => connections(api.url), nothingHeld, 'the slow stream cut');
    reader.destroy();
    await expectFullAllowance(ip);
  });
});

describe('channels per socket', () => {
  it('answers a subscribe past MAX_CHANNELS_PER_SOCKET with rate_limited, and frees a slot on unsubscribe', async () => {
    const socket = await socketFrom('10.5.1.1');
    for (const channel of ['c1', 'c2', 'c3'])
      expect((await socket.emitWithAck('subscribe', { channel })).ok).toBe(true);
    const over = await socket.emitWithAck('subscribe', { channel: 'c4' });
    expect(over).toEqual({
      ok: false,
      error: { code: 'rate_limited', message: expect.any(String) },
    });
    expect((await socket.emitWithAck('subscribe', { channel: 'c2' })).ok).toBe(true); // again: same channel
    await socket.emitWithAck('unsubscribe', { channel: 'c1' });
    expect((await socket.emitWithAck('subscribe', { channel: 'c4' })).ok).toBe(true);
  });

  it('lets exactly MAX_CHANNELS_PER_SOCKET through when subscribes arrive all at once', async () => {
    const socket = await socketFrom('10.5.2.1');
    const acks = await Promise.all(
      range(1, 12).map((n) => socket.emitWithAck('subscribe', { channel: `burst-${n}` })),
    );
    expect(acks.filter((ack) => ack.ok)).toHaveLength(3);
    for (const ack of acks) if (!ack.ok) expect(ack.error.code).toBe('rate_limited');
  });
});

describe('without TRUST_PROXY', () => {
  let direct: RunningApi;
  beforeAll(async () => {
    direct = await startApi({ MAX_CONNECTIONS_PER_IP: '2' });
  });
  afterAll(() => direct.stop());

  it('counts the TCP peer, whatever X-Forwarded-For claims', async () => {
    const controller = new AbortController();
    const open = (ip: string) =>
      fetch(`${direct.url}/api/sse/direct`, { headers: from(ip), signal: controller.signal });
    try {
      expect((await open('10.6.0.1')).status).toBe(200);
      expect((await open('10.6.0.2')).status).toBe(200);
      await expectErrorAnswer(await open('10.6.0.3'), 429, 'rate_limited');
      const refused = await connectSocket(direct.url, ['websocket'], from('10.6.0.4')).then(
        (socket) => socket.disconnect() && undefined,
        (error: Error & { data?: { code: string } }) => error.data?.code,
      );
      expect(refused).toBe('rate_limited');
    } finally {
      controller.abort();
    }
  });
});
