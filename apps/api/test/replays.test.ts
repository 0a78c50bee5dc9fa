import { PageSchema } from '@pushpull/contracts';
import { connect as connectTcp, type Socket as TcpSocket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { connections, eventually, publishAll, range } from './support/http';
import { MIB, flood, residentBytes, watchPeakRss } from './support/memory';
import { connectSocket, type RealtimeClient } from './support/sockets';

// Replays obey the slow-reader bound (docs/limits.md): a backlog is
// written no faster than the reader takes it, and a reader that asks for much and reads nothing
// is cut as slow_consumer instead of parking the backlog in the API's memory.
let api: RunningApi;
const BIG = 'big-backlog';
const BACKLOG_BYTES = 2000 * 15 * 1024;
const sockets: RealtimeClient[] = [];
const tcps: TcpSocket[] = [];

beforeAll(async () => {
  // The default 1 MiB bound; a 2 000 × 15 KiB (30 MiB) backlog, far past it and past what the
  // kernel's socket buffers absorb for a reader that does not read.
  api = await startApi({ HISTORY_SIZE: '3000', WRITE_RATE_PER_S: '0' });
  await flood(api.url, 2000, () => BIG, 15 * 1024);
}, 120_000);
afterEach(() => {
  sockets.splice(0).forEach((socket) => socket.disconnect());
  tcps.splice(0).forEach((tcp) => tcp.destroy());
});
afterAll(() => api.stop());

/** A raw client that sends the request, then never reads a byte. */
function pausedReader(path: string): TcpSocket {
  const tcp = connectTcp(api.port, '127.0.0.1');
  tcp.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  tcp.pause();
  tcps.push(tcp);
  return tcp;
}

/**
 * Resumes a paused reader and counts what it gets until the server ended the response: the last
 * chunk of a response it finished, or the connection closed if the reader took too long for that.
 */
async function readUntilEnded(tcp: TcpSocket): Promise<number> {
  let bytes = 0;
  let tail = '';
  const ended = new Promise<void>((resolve) => {
    tcp.once('close', () => resolve());
    tcp.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      tail = (tail + chunk.toString('latin1')).slice(-16);
      if (tail.endsWith('\r\n0\r\n\r\n')) resolve();
    });
  });
  tcp.resume();
  await ended;
  return bytes;
}

/** Reads a stream, keeping only a tail and a count of `frame`, until `lastId` shows up. */
async function readWhole(response: Response, frame: string, lastId: string) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let tail = '';
  let frames = 0;
  while (!tail.includes(`"id":"${lastId}"`) && !tail.includes('slow_consumer')) {
    const { value, done } = await reader.read();
    if (done) break;
    const text = tail + decoder.decode(value, { stream: true });
    frames += text.split(frame).length - tail.split(frame).length;
    tail = text.slice(-20_000);
  }
  await reader.cancel();
  return { frames, tail };
}

describe('backlog replays', () => {
  it('cuts 20 paused SSE and NDJSON readers of a 30 MiB backlog as slow consumers, holding little', async () => {
    const before = await connections(api.url);
    const rssBefore = await residentBytes(api.url);
    const watching = watchPeakRss(api.url);
    const readers = range(1, 20).map((n) =>
      pausedReader(n % 2 ? `/api/sse/${BIG}` : `/api/stream/${BIG}`),
    );
    await eventually(
      () => connections(api.url),
      (c) => c.slowConsumersCut >= before.slowConsumersCut + 20,
      'every paused reader to be cut',
    );
    const rssPeak = await watching.stop();
    // Unpaced, each reader had the whole backlog written into its buffer: 20 × 30 MiB.
    expect(rssPeak - rssBefore).toBeLessThan(150 * MIB);
    const after = await eventually(
      () => connections(api.url),
      (c) => c.streams.sse + c.streams.streaming === 0,
      'the streams to close',
    );
    expect(after.slowConsumersCut).toBe(before.slowConsumersCut + 20);
    // Reading now, each finds the connection ended after a fraction of the backlog (a cut reader
    // that reads within a second also gets the `closing` frame: streams.test.ts).
    const received = await Promise.all(readers.map(readUntilEnded));
    for (const bytes of received) expect(bytes).toBeLessThan(BACKLOG_BYTES / 2);
  }, 60_000);

  it.each([
    ['sse', '\ndata: '],
    ['stream', '"kind":"event"'],
  ] as const)('replays all of it to a /api/%s reader that keeps reading', async (path, frame) => {
    const before = (await connections(api.url)).slowConsumersCut;
    const { head } = (await (await fetch(`${api.url}/api/channels/${BIG}`)).json()) as {
      head: string;
    };
    const { frames, tail } = await readWhole(
      await fetch(`${api.url}/api/${path}/${BIG}`),
      frame,
      head,
    );
    expect(tail).not.toContain('slow_consumer');
    expect(frames).toBe(2000);
    expect((await connections(api.url)).slowConsumersCut).toBe(before);
  });
});

describe('socket.io subscribe pages', () => {
  it('answers one page: at most SLOW_READER_MAX_BYTES of events, with more and a cursor to go on from', async () => {
    const socket = await connectSocket(api.url);
    sockets.push(socket);
    const first = await socket.emitWithAck('subscribe', { channel: BIG });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.more).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(first.events))).toBeLessThanOrEqual(MIB);
    expect(first.events.length).toBeGreaterThan(10);
    expect(first.cursor).toBe(first.events.at(-1)!.id);
    const second = await socket.emitWithAck('subscribe', { channel: BIG, after: first.cursor });
    if (!second.ok) throw new Error(second.error.message);
    const poll = PageSchema.parse(
      await (await fetch(`${api.url}/api/poll/${BIG}?after=${first.cursor}&limit=1`)).json(),
    );
    expect(second.events[0]).toEqual(poll.events[0]);
  });

  it('answers at most 1000 events, however small', async () => {
    await publishAll(api.url, 'many-small', range(1, 1500));
    const socket = await connectSocket(api.url);
    sockets.push(socket);
    const first = await socket.emitWithAck('subscribe', { channel: 'many-small' });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.events.map((e) => e.data)).toEqual(range(1, 1000));
    expect(first.more).toBe(true);
    const rest = await socket.emitWithAck('subscribe', {
      channel: 'many-small',
      after: first.cursor,
    });
    if (!rest.ok) throw new Error(rest.error.message);
    expect(rest.events.map((e) => e.data)).toEqual(range(1001, 1500));
    expect(rest.more).toBeUndefined();
  }, 60_000);

  it('holds little for a paused client sending subscribes, and cuts it once it holds the bound', async () => {
    const socket = await connectSocket(api.url);
    sockets.push(socket);
    const before = await connections(api.url);
    const rssBefore = await residentBytes(api.url);
    const watching = watchPeakRss(api.url);
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const tcp = (
      socket.io.engine.transport as unknown as {
        ws: { _socket: { pause(): void; resume(): void } };
      }
    ).ws._socket;
    tcp.pause();
    // Each ack is one page (≤ 1 MiB here). The kernel's socket buffers on loopback take tens of
    // MiB before anything waits in the API, so it sends 20 subscribes ten times over.
    for (let n = 0; n < 200; n++) socket.emit('subscribe', { channel: BIG }, () => undefined);
    await eventually(
      () => connections(api.url),
      (c) => c.slowConsumersCut > before.slowConsumersCut,
      'the paused socket to be cut',
    );
    const after = await connections(api.url);
    expect(after.slowConsumersCut).toBe(before.slowConsumersCut + 1);
    // 200 full-backlog acks were 6 GiB before acks were paged.
    expect(await watching.stop()).toBeLessThan(rssBefore + 100 * MIB);
    tcp.resume();
    await closed;
    expect(socket.closings).toEqual([
      { code: 'slow_consumer', reason: expect.stringContaining('resume from your last id') },
    ]);
  }, 60_000);
});

describe('backlog replays under a bound smaller than one event', () => {
  let tiny: RunningApi;
  beforeAll(async () => {
    tiny = await startApi({
      HISTORY_SIZE: '3000',
      SLOW_READER_MAX_BYTES: '1024',
      WRITE_RATE_PER_S: '0',
    });
    await flood(tiny.url, 1000, () => BIG, 15 * 1024);
  }, 60_000);
  afterAll(() => tiny.stop());

  it.each([
    ['sse', '\ndata: '],
    ['stream', '"kind":"event"'],
  ] as const)(
    'still replays all of it, an event at a time, to a /api/%s reader',
    async (path, frame) => {
      const { head } = (await (await fetch(`${tiny.url}/api/channels/${BIG}`)).json()) as {
        head: string;
      };
      const { frames, tail } = await readWhole(
        await fetch(`${tiny.url}/api/${path}/${BIG}`),
        frame,
        head,
      );
      expect(tail).not.toContain('slow_consumer');
      expect(frames).toBe(1000);
    },
  );

  it('answers a subscribe with one event when one is past the bound, and more', async () => {
    const socket = await connectSocket(tiny.url);
    sockets.push(socket);
    const ack = await socket.emitWithAck('subscribe', { channel: BIG });
    expect(ack).toMatchObject({ ok: true, more: true, events: [expect.anything()] });
  });
});
