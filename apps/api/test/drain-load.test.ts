import {
  ChannelEventSchema,
  ClosingSchema,
  StreamFrameSchema,
  type ChannelEvent,
  type Closing,
} from '@pushpull/contracts';
import { EventSource } from 'eventsource';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteBackplaneKeys, startApi, type RunningApi } from '../src/testing/start-api';
import { getOnce, isRefused, NEVER_REACHED, publishOnce, readLog } from './support/drain';
import { connections, eventually, range } from './support/http';
import { connectSocket } from './support/sockets';
import { REDIS_URL } from './support/servers';

// Issue #14's measurement of the drain (DESIGN.md, "Leaving without dropping anyone"), from
// outside and under load: independent clients of every held kind, pollers, and publishers that
// keep publishing while SIGTERM arrives. drain.test.ts covers the single cases (a half-sent publish,
// the timeout); this one checks that nobody is dropped when there are many.
const prefix = `test-drain-load-${process.pid}-${Date.now().toString(36)}`;
const SHUTDOWN_DELAY_MS = 1000;
const SHUTDOWN_TIMEOUT_MS = 10_000;
const env = {
  BACKPLANE: 'redis',
  BACKPLANE_PREFIX: prefix,
  REDIS_URL,
  SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
  SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  MAX_CONNECTIONS_PER_IP: '0',
  WRITE_RATE_PER_S: '100000',
  WRITE_BURST: '100000',
  HISTORY_SIZE: '100000',
};
afterAll(() => deleteBackplaneKeys(REDIS_URL, prefix));

const CLIENTS = 50;
const PUBLISHERS = 10;
const POLLERS = 5;
const CHANNEL = 'load';
/** Long polls wait here, where nothing is published, so only the drain answers them. */
const QUIET = 'load-quiet';

/**
 * Owed to every reader: each event answered 201 before the signal (the drain's delay leaves it time
 * to be fanned out). One answered during the delay and just before a reader's `closing` may miss
 * that stream: the drain does not wait for the backplane (Redis pub/sub) to catch up before telling
 * streams, and the client cannot order a 201 and a `closing` from two connections. Such an event is
 * not lost (the reader resumes from its last id elsewhere, and the log has it); those are counted
 * and printed, and every stream must still be a gap-free start of the log.
 */
/** What one subscriber saw, with the client-side time its `closing` arrived. */
interface Reader {
  kind: 'sse' | 'ndjson' | 'socket';
  events: ChannelEvent[];
  closings: Closing[];
  closingAt?: number;
  /** Anything that arrived after the `closing` (events, a second closing), or broke the read. */
  faults: string[];
  /** Settles once the reader is done (its stream ended, or it closed itself on `closing`). */
  done: Promise<void>;
  close(): void;
}

function newReader(kind: Reader['kind']) {
  let finish!: () => void;
  const reader: Reader = {
    kind,
    events: [],
    closings: [],
    faults: [],
    done: new Promise<void>((resolve) => (finish = resolve)),
    close: () => undefined,
  };
  const onEvent = (event: ChannelEvent) => {
    if (reader.closingAt !== undefined) reader.faults.push(`event ${event.id} after closing`);
    reader.events.push(event);
  };
  const onClosing = (closing: Closing) => {
    if (reader.closingAt !== undefined) reader.faults.push('a second closing');
    reader.closingAt ??= performance.now();
    reader.closings.push(closing);
  };
  return { reader, onEvent, onClosing, finish };
}

/** A real EventSource client (the `eventsource` package); closes itself on `closing`. */
async function sseReader(api: RunningApi): Promise<Reader> {
  const { reader, onEvent, onClosing, finish } = newReader('sse');
  const source = new EventSource(`${api.url}/api/sse/${CHANNEL}`);
  reader.close = () => source.close();
  source.onmessage = (message) => onEvent(ChannelEventSchema.parse(JSON.parse(message.data)));
  source.addEventListener('closing', (message) => {
    onClosing(ClosingSchema.parse(JSON.parse(message.data)));
    // Otherwise it reconnects to the closed listener: the client's own job, not this test's.
    source.close();
    finish();
  });
  await new Promise<void>((resolve, reject) => {
    source.onopen = () => resolve();
    source.onerror = (error) => reject(new Error(`SSE did not open: ${error.message}`));
  });
  // An error from now on is the stream ending without its `closing`.
  source.onerror = (error) => {
    reader.faults.push(`error before closing: ${error.message}`);
    source.close();
    finish();
  };
  return reader;
}

/** NDJSON over fetch, read to its end: the `closing` frame must be the last thing on it. */
async function ndjsonReader(api: RunningApi): Promise<Reader> {
  const { reader, onEvent, onClosing, finish } = newReader('ndjson');
  const abort = new AbortController();
  reader.close = () => abort.abort();
  const response = await fetch(`${api.url}/api/stream/${CHANNEL}`, { signal: abort.signal });
  expect(response.status).toBe(200);
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body!) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines.filter((l) => l.trim() !== '')) {
          const frame = StreamFrameSchema.parse(JSON.parse(line));
          if (frame.kind === 'event') onEvent(frame.event);
          else if (frame.kind === 'closing') onClosing({ code: frame.code, reason: frame.reason });
          else if (reader.closingAt !== undefined)
            reader.faults.push(`${frame.kind} after closing`);
        }
      }
      if (buffered.trim() !== '') reader.faults.push(`a cut frame: ${buffered}`);
    } catch (error) {
      reader.faults.push(`read failed: ${String(error)}`);
    }
    finish();
  })();
  return reader;
}

/** A socket.io client subscribed to the channel; done when the server disconnects it. */
async function socketReader(api: RunningApi): Promise<Reader> {
  const { reader, onEvent, onClosing, finish } = newReader('socket');
  const socket = await connectSocket(api.url);
  reader.close = () => socket.disconnect();
  socket.on('event', onEvent);
  socket.on('closing', onClosing);
  socket.on('disconnect', (why) => {
    if (reader.closingAt === undefined) reader.faults.push(`disconnected before closing: ${why}`);
    finish();
  });
  const ack = await socket.emitWithAck('subscribe', { channel: CHANNEL });
  if (!ack.ok) throw new Error(`subscribe refused: ${ack.error.code}`);
  ack.events.forEach(onEvent);
  return reader;
}

interface Publish {
  data: string;
  outcome: number | string;
  startedAt: number;
  answeredAt: number;
}

/** Publishes one at a time until the listener refuses the connection. */
async function publishUntilRefused(api: RunningApi, name: string): Promise<Publish[]> {
  const publishes: Publish[] = [];
  for (let n = 0; ; n += 1) {
    const data = `${name}-${n}`;
    const startedAt = performance.now();
    const outcome = await publishOnce(api.url, CHANNEL, data);
    publishes.push({ data, outcome, startedAt, answeredAt: performance.now() });
    if (outcome === 'ECONNREFUSED') return publishes;
  }
}

/** Polls the channel until the listener refuses the connection; every status. */
async function pollUntilRefused(api: RunningApi): Promise<Array<number | string>> {
  const outcomes: Array<number | string> = [];
  for (;;) {
    const outcome = await getOnce(`${api.url}/api/poll/${CHANNEL}?limit=10`);
    outcomes.push(outcome);
    if (outcome === 'ECONNREFUSED') return outcomes;
  }
}

describe(`drain under load (BACKPLANE=redis, SHUTDOWN_DELAY_MS=${SHUTDOWN_DELAY_MS})`, () => {
  it(`drops none of ${CLIENTS} clients of each held kind while ${PUBLISHERS} publish`, async () => {
    const api = await startApi(env);
    const readers: Reader[] = [];
    try {
      const quietHead = (
        (await (await fetch(`${api.url}/api/channels/${QUIET}`)).json()) as { head: string }
      ).head;
      // Readers start on the empty channel, so each owes the log from its start.
      for (const start of [sseReader, ndjsonReader, socketReader])
        readers.push(...(await Promise.all(range(1, CLIENTS).map(() => start(api)))));
      const longPolls = range(1, CLIENTS).map(() =>
        fetch(`${api.url}/api/long-poll/${QUIET}?after=${quietHead}&wait=30`).then(
          (response) => response.status,
          (error: unknown) => String(error),
        ),
      );
      await eventually(
        () => connections(api.url),
        (c) =>
          c.streams.sse === CLIENTS &&
          c.streams.streaming === CLIENTS &&
          c.streams.websocket === CLIENTS &&
          c.longPollWaiters === CLIENTS,
        `${CLIENTS} of each held kind`,
      );

      const publishing = Promise.all(
        range(1, PUBLISHERS).map((n) => publishUntilRefused(api, `p${n}`)),
      );
      const polling = Promise.all(range(1, POLLERS).map(() => pollUntilRefused(api)));
      // Publishing is under way when the signal arrives.
      await eventually(
        () => readers[0]!.events.length,
        (n) => n >= PUBLISHERS,
        'the first events to reach a reader',
      );

      api.signal('SIGTERM');
      const signalledAt = performance.now();
      const ready = await eventually(
        () => fetch(`${api.url}/api/ready`),
        (response) => response.status === 503,
        '/api/ready to answer 503',
      );
      // Reported, not asserted: with 200 clients in this process on a shared machine, the wait
      // measures this test's own event loop as much as the API (drain.test.ts holds the 500 ms
      // bound with a light load). An answered 503 is itself the behaviour: the listener was open.
      const msTo503 = performance.now() - signalledAt;
      expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      expect((await fetch(`${api.url}/api/health`)).status).toBe(200);

      const publishes = (await publishing).flat();
      const polls = (await polling).flat();
      await eventually(() => isRefused(api.url), Boolean, 'the listener to close');
      const longPollStatuses = await Promise.all(longPolls);
      await Promise.all(readers.map((reader) => reader.done));
      const exitCode = await api.exited;
      const msToExit = performance.now() - signalledAt;

      const answered = publishes.filter((p) => p.outcome === 201);
      const duringDrain = answered.filter((p) => p.startedAt > signalledAt);
      console.warn(
        `drain under load: 503 after ${msTo503.toFixed(0)} ms; publishes 201 after the signal ` +
          `${duringDrain.length}, 201 in all ${answered.length} of ${publishes.length}; long polls ` +
          `204 ${longPollStatuses.filter((s) => s === 204).length}/${CLIENTS}; polls ` +
          `${polls.length}; exit ${exitCode} after ${msToExit.toFixed(0)} ms`,
      );

      expect(exitCode).toBe(0);
      // Exit 0 is itself "in time": past SHUTDOWN_TIMEOUT_MS the process exits 1.
      expect(longPollStatuses).toEqual(range(1, CLIENTS).map(() => 204));
      // Serving on through the delay: publishes sent in its first half (a wide margin for a busy
      // machine between the signal and the server acting on it) are all taken.
      expect(duringDrain.length).toBeGreaterThan(0);
      expect(
        publishes.filter(
          (p) => p.startedAt < signalledAt + SHUTDOWN_DELAY_MS / 2 && p.outcome !== 201,
        ),
      ).toEqual([]);
      // Every request got its answer or never reached the server (refused, or reset in the accept
      // queue when the listener closed).
      expect(
        publishes.filter((p) => p.outcome !== 201 && !NEVER_REACHED.has(String(p.outcome))),
      ).toEqual([]);
      expect(polls.filter((p) => p !== 200 && !NEVER_REACHED.has(String(p)))).toEqual([]);

      // Durable, and nothing stored that was not answered: read back through a new instance.
      const successor = await startApi(env);
      let log: ChannelEvent[];
      try {
        log = await readLog(successor.url, CHANNEL);
      } finally {
        await successor.stop();
      }
      const stored = new Set(log.map((event) => event.data as string));
      expect(answered.filter((p) => !stored.has(p.data)).map((p) => p.data)).toEqual([]);
      expect(publishes.filter((p) => p.outcome !== 201 && stored.has(p.data))).toEqual([]);

      const answeredAt = new Map(answered.map((p) => [p.data, p.answeredAt]));
      const receivedBy = (data: string) =>
        readers.filter((r) => r.events.some((e) => e.data === data)).length;
      const missed: Array<{
        kind: string;
        data: string;
        msBeforeClosing: number;
        receivedBy: number;
      }> = [];
      for (const reader of readers) {
        const what = `${reader.kind} reader`;
        expect(reader.faults, what).toEqual([]);
        expect(reader.closings, what).toEqual([expect.objectContaining({ code: 'shutdown' })]);
        // In order, without duplicates or gaps: the start of the log.
        expect(
          reader.events.map((e) => e.id),
          what,
        ).toEqual(log.slice(0, reader.events.length).map((e) => e.id));
        // Every event answered 201 before this reader was told `closing`, as the client saw it.
        const received = new Set(reader.events.map((e) => e.data as string));
        for (const event of log) {
          const data = event.data as string;
          const at = answeredAt.get(data)!;
          if (at < reader.closingAt! && !received.has(data))
            missed.push({
              kind: reader.kind,
              data,
              msBeforeClosing: Math.round(reader.closingAt! - at),
              receivedBy: receivedBy(data),
            });
        }
      }
      const owed = (miss: (typeof missed)[number]) => answeredAt.get(miss.data)! < signalledAt;
      const late = missed.filter((miss) => !owed(miss));
      const lags = late.map((m) => m.msBeforeClosing);
      console.warn(
        `drain under load: answered 201 during the delay before a reader's closing yet not on ` +
          `that stream: ${new Set(late.map((m) => m.data)).size} events, ${late.length} ` +
          `reader-events` +
          (late.length > 0
            ? ` (201 ${Math.min(...lags)}–${Math.max(...lags)} ms before closing)`
            : ''),
      );
      expect(missed.filter(owed)).toEqual([]);
      expect(api.output()).toContain('drained');
    } finally {
      readers.forEach((reader) => reader.close());
      await api.kill();
    }
  }, 120_000);
});
