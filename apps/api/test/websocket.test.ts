import {
  ConnectionCountsSchema,
  ErrorBodySchema,
  PageSchema,
  type Closing,
  type SocketPublishRequest,
} from '@pushpull/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { connections, eventually, publishAll, range } from './support/http';
import { connectSocket, type RealtimeClient } from './support/sockets';

let api: RunningApi;
const open: RealtimeClient[] = [];
beforeAll(async () => {
  api = await startApi({
    HISTORY_SIZE: '5',
    MAX_EVENT_BYTES: '1024',
    SLOW_READER_MAX_BYTES: '65536',
    // The slow-reader test publishes megabytes from one client; writes are limited elsewhere.
    WRITE_RATE_PER_S: '0',
  });
});
afterEach(() => {
  open.splice(0).forEach((socket) => socket.disconnect());
});
afterAll(() => api.stop());

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

async function client(transports?: Array<'websocket' | 'polling'>) {
  const socket = await connectSocket(api.url, transports);
  open.push(socket);
  return socket;
}

describe('socket.io /realtime', () => {
  it('answers subscribe with the backlog after the cursor, then pushes live events', async () => {
    const [first] = await publishAll(api.url, 'ws-backlog', [1, 2, 3]);
    const socket = await client();
    const ack = await socket.emitWithAck('subscribe', { channel: 'ws-backlog', after: first!.id });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.events.map((e) => e.data)).toEqual([2, 3]);
    expect(ack.cursor).toBe(ack.events[1]?.id);
    await publishAll(api.url, 'ws-backlog', [4]);
    await eventually(
      () => socket.received.length,
      (n) => n === 1,
      'the live event',
    );
    expect(socket.received[0]?.data).toBe(4);
  });

  it('answers a stale cursor with reset and the oldest retained events', async () => {
    const [first] = await publishAll(api.url, 'ws-stale', range(1, 8));
    const ack = await (
      await client()
    ).emitWithAck('subscribe', { channel: 'ws-stale', after: first!.id });
    expect(ack).toMatchObject({ ok: true, reset: true });
    if (ack.ok) expect(ack.events.map((e) => e.data)).toEqual([4, 5, 6, 7, 8]);
  });

  it.each([
    {
      what: 'a bad channel',
      event: 'subscribe',
      code: 'invalid_channel',
      payload: { channel: 'Bad Name' },
    },
    {
      what: 'a malformed cursor',
      event: 'subscribe',
      code: 'invalid_cursor',
      payload: { channel: 'ok', after: 'nope' },
    },
    {
      what: 'a bad channel',
      event: 'publish',
      code: 'invalid_channel',
      payload: { channel: 'NO', type: 't', data: 1 },
    },
    {
      what: 'a job: channel',
      event: 'publish',
      code: 'forbidden',
      payload: { channel: 'job:1', type: 't', data: 1 },
    },
    {
      what: 'an oversized event',
      event: 'publish',
      code: 'payload_too_large',
      payload: { channel: 'ok', type: 't', data: 'x'.repeat(2000) },
    },
    {
      what: 'binary (non-JSON) data',
      event: 'publish',
      code: 'invalid_body',
      payload: { channel: 'ok', type: 't', data: Buffer.from('raw') },
    },
    {
      what: 'missing data',
      event: 'publish',
      code: 'invalid_body',
      payload: { channel: 'ok', type: 't' },
    },
    {
      what: 'a payload that is not an object',
      event: 'publish',
      code: 'invalid_body',
      payload: 'hello',
    },
    {
      what: 'an unknown key',
      event: 'publish',
      code: 'invalid_body',
      payload: { channel: 'ok', type: 't', data: 1, extra: true },
    },
    {
      what: 'a "__proto__" key in data',
      event: 'publish',
      code: 'invalid_body',
      payload: JSON.parse('{"channel":"ok","type":"t","data":{"a":{"__proto__":{"polluted":1}}}}'),
    },
    {
      what: 'a cursor that is not a string',
      event: 'subscribe',
      code: 'invalid_cursor',
      payload: { channel: 'ok', after: 42 },
    },
    {
      what: 'a payload that is not an object',
      event: 'subscribe',
      code: 'invalid_body',
      payload: ['ok'],
    },
    {
      what: 'a bad channel',
      event: 'unsubscribe',
      code: 'invalid_channel',
      payload: { channel: '' },
    },
    {
      what: 'a job: channel and a bad body (the channel is named first, as over HTTP)',
      event: 'publish',
      code: 'forbidden',
      payload: { channel: 'job:1', type: '' },
    },
    {
      what: 'data nested 3000 deep',
      event: 'publish',
      code: 'invalid_body',
      payload: { channel: 'ok', type: 't', data: nested(3000) },
    },
  ])('acks $what on $event with { ok: false, error: $code }', async ({ event, code, payload }) => {
    const socket = await client();
    const ack = await socket.emitWithAck(event as 'publish', payload as never);
    expect(ack).toEqual({
      ok: false,
      error: expect.objectContaining({ code, message: expect.any(String) }),
    });
    expect(socket.connected).toBe(true); // a bad message never costs the connection
  });

  it.each([
    ['"__proto__" in data', '{"type":"t","data":{"__proto__":{"polluted":true}}}'],
    ['"__proto__" deep in data', '{"type":"t","data":{"list":[1,{"__proto__":{}}]}}'],
    ['"constructor.prototype" in data', '{"type":"t","data":{"constructor":{"prototype":{}}}}'],
    ['"__proto__" beside type and data', '{"type":"t","data":1,"__proto__":{"polluted":true}}'],
  ])(
    'refuses %s with the same code and details as HTTP, and stores nothing',
    async (_what, json) => {
      const channel = `ws-proto-${open.length}`;
      const overHttp = await fetch(`${api.url}/api/channels/${channel}/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: json,
      });
      expect(overHttp.status).toBe(400);
      const httpError = ErrorBodySchema.parse(await overHttp.json()).error;
      const payload = { channel, ...JSON.parse(json) } as SocketPublishRequest;
      const ack = await (await client()).emitWithAck('publish', payload);
      expect(httpError.code).toBe('invalid_body');
      expect(ack).toEqual({ ok: false, error: { ...httpError, message: expect.any(String) } });
      expect(
        PageSchema.parse(await (await fetch(`${api.url}/api/poll/${channel}`)).json()).events,
      ).toEqual([]);
    },
  );

  it('publishes into the same log every mechanism reads', async () => {
    const ack = await (
      await client()
    ).emitWithAck('publish', { channel: 'ws-pub', type: 'note', data: { n: 1 } });
    expect(ack).toMatchObject({
      ok: true,
      event: { channel: 'ws-pub', type: 'note', data: { n: 1 } },
    });
    const page = (await (await fetch(`${api.url}/api/poll/ws-pub`)).json()) as {
      events: unknown[];
    };
    expect(page.events).toEqual([ack.ok && ack.event]);
  });

  it('carries many channels on one socket, and unsubscribe stops a channel', async () => {
    const socket = await client();
    for (const channel of ['ws-a', 'ws-b', 'ws-c'])
      await socket.emitWithAck('subscribe', { channel });
    await publishAll(api.url, 'ws-a', ['a']);
    await publishAll(api.url, 'ws-b', ['b']);
    await publishAll(api.url, 'ws-c', ['c']);
    await eventually(
      () => socket.received.length,
      (n) => n === 3,
      'three channels',
    );
    expect(socket.received.map((e) => `${e.channel}:${e.data}`)).toEqual([
      'ws-a:a',
      'ws-b:b',
      'ws-c:c',
    ]);

    expect(await socket.emitWithAck('unsubscribe', { channel: 'ws-b' })).toEqual({ ok: true });
    await publishAll(api.url, 'ws-b', ['b2']);
    await publishAll(api.url, 'ws-c', ['c2']);
    await eventually(
      () => socket.received.length,
      (n) => n === 4,
      'the next event',
    );
    expect(socket.received[3]).toMatchObject({ channel: 'ws-c', data: 'c2' });
  });

  it('delivers each event once to each of 100 sockets, over one feed per channel', async () => {
    const sockets = await Promise.all(range(1, 100).map(() => client()));
    await Promise.all(
      sockets.map((socket) => socket.emitWithAck('subscribe', { channel: 'ws-crowd' })),
    );
    expect((await connections(api.url)).upstreamFeeds).toBe(1);
    await publishAll(api.url, 'ws-crowd', [1, 2, 3]);
    await eventually(
      () => sockets.every((s) => s.received.length >= 3),
      (done) => done,
      'all sockets',
    );
    for (const socket of sockets) expect(socket.received.map((e) => e.data)).toEqual([1, 2, 3]);
  });

  it("works over socket.io's HTTP long-polling transport too", async () => {
    const socket = await client(['polling']);
    expect(socket.io.engine.transport.name).toBe('polling');
    await socket.emitWithAck('subscribe', { channel: 'ws-polling' });
    await publishAll(api.url, 'ws-polling', ['via polling']);
    await eventually(
      () => socket.received.length,
      (n) => n === 1,
      'the event',
    );
  });

  it('answers the handshake with CORS for allowed origins only', async () => {
    const handshake = (origin: string) =>
      fetch(`${api.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: origin } });
    expect(
      (await handshake('http://localhost:3000')).headers.get('access-control-allow-origin'),
    ).toBe('http://localhost:3000');
    expect(
      (await handshake('http://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('lets go of rooms and feeds when sockets disconnect', async () => {
    const sockets = await Promise.all(range(1, 10).map(() => client()));
    await Promise.all(sockets.map((s) => s.emitWithAck('subscribe', { channel: 'ws-leave' })));
    sockets.forEach((s) => s.disconnect());
    const after = await eventually(
      () => connections(api.url),
      (c) => c.streams.websocket === 0,
      'sockets gone',
    );
    expect(after.upstreamFeeds).toBe(0);
  });

  it('disconnects a socket that stops reading, with closing: slow_consumer', async () => {
    const socket = await client();
    await socket.emitWithAck('subscribe', { channel: 'ws-slow' });
    const before = ConnectionCountsSchema.parse(await connections(api.url)).slowConsumersCut;
    // Stop reading at the TCP level: the server's WebSocket buffer can only grow.
    const tcp = (
      socket.io.engine.transport as unknown as {
        ws: { _socket: { pause(): void; resume(): void } };
      }
    ).ws._socket;
    // What the client had been told when the connection went: a `closing` must come first.
    const closingsAtDisconnect = new Promise<Closing[]>((resolve) =>
      socket.once('disconnect', () => resolve([...socket.closings])),
    );
    tcp.pause();
    // The client reads again the moment the cut shows: the server gives a cut socket a second to
    // take its last frames, and a publish batch under load can outlast that.
    let cut = false;
    const watcher = (async () => {
      while (!cut) {
        if ((await connections(api.url)).slowConsumersCut > before) {
          cut = true;
          tcp.resume();
        } else await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    // The kernel's socket buffers take several MiB on loopback before the server sees any backlog.
    const payload = 'x'.repeat(900);
    for (let sent = 0; sent < 40_000 && !cut; sent += 100) {
      await Promise.all(
        range(1, 4).map(() =>
          publishAll(
            api.url,
            'ws-slow',
            range(1, 25).map(() => payload),
          ),
        ),
      );
    }
    await watcher;
    expect((await connections(api.url)).slowConsumersCut).toBe(before + 1);
    // Everything queued before the cut drains once the client reads again; `closing` is last.
    expect(await closingsAtDisconnect).toEqual([
      { code: 'slow_consumer', reason: expect.stringContaining('resume from your last id') },
    ]);
    expect(socket.connected).toBe(false);
  }, 90_000);
});

describe('socket.io /realtime origins', () => {
  it('refuses a browser connection from an origin outside CORS_ORIGINS, over either transport', async () => {
    for (const transports of [['websocket'], ['polling']] as const) {
      await expect(
        connectSocket(api.url, [...transports], { Origin: 'http://evil.example' }),
      ).rejects.toThrow();
    }
    const allowed = await connectSocket(api.url, ['websocket'], {
      Origin: 'http://localhost:3000',
    });
    expect(allowed.connected).toBe(true);
    allowed.disconnect();
  });
});
