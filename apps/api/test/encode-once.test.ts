import type { ChannelEvent, JsonValue } from '@pushpull/contracts';
import { Counter } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryChannelLog } from '../src/channels/memory-channel-log';
import { pageJson } from '../src/channels/page-json';
import { serializeParts } from '../src/channels/serialized-event';
import type { SharedEvent } from '../src/channels/shared-event';
import { WokenAnswers } from '../src/mechanisms/long-polling/woken-answers';
import { sseFormat } from '../src/mechanisms/sse/sse-format';
import { ndjsonFormat } from '../src/mechanisms/streaming/ndjson-format';
import { Metrics } from '../src/metrics/metrics';
import { nextTurn } from './support/turns';

// Encode once: an event is serialized when it is published, each wire's frame for it is built
// once per process and shared by every follower, and the bytes are the ones each follower used
// to build for itself.

/** Payloads that stress the spelling: unicode, escapes, integer-like keys, numbers, size. */
const payloads: Array<{ type: string; data: JsonValue }> = [
  { type: 'n', data: 1 },
  { type: 'message', data: { text: 'héllo wörld — ✓ 日本語 🎉', quote: 'say "hi"\n\ttab\\' } },
  { type: 'odd keys', data: { b: 1, '2': 'two', '10': 'ten', a: [null, true, false] } },
  { type: 'numbers', data: [0, -0, 1e21, 1.5e-7, -123.456, Number.MAX_SAFE_INTEGER] },
  { type: 'controls', data: '\u0000\u001f\u2028\u2029\u007f' },
  { type: 'ünïcödé type ✓', data: null },
  { type: 'large', data: { blob: 'x'.repeat(300_000), more: 'é'.repeat(50_000) } },
];

/** The frames as every follower built them before: from the event object, per follower. */
const oldSse = (event: ChannelEvent) => `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
const oldNdjson = (event: ChannelEvent) => `${JSON.stringify({ kind: 'event', event })}\n`;

async function publishAll(log: MemoryChannelLog, channel: string): Promise<ChannelEvent[]> {
  const events: ChannelEvent[] = [];
  for (const body of payloads) events.push(await log.publish(channel, body));
  await nextTurn(); // the followers have them
  return events;
}

/** Followers of one channel that write each event's frame on one wire, as the streamer does. */
async function followers(
  log: MemoryChannelLog,
  channel: string,
  count: number,
  format = sseFormat(2000),
) {
  const encode = vi.fn(format.event);
  const frames: Buffer[][] = [];
  const stops: Array<() => void> = [];
  for (let i = 0; i < count; i++) {
    const mine: Buffer[] = [];
    frames.push(mine);
    stops.push(
      await log.followShared(channel, undefined, {
        onEvent: (event: SharedEvent) => mine.push(event.frame(encode)),
      }),
    );
  }
  return { encode, frames, stop: () => stops.forEach((stop) => stop()) };
}

describe('frames built around the stored JSON', () => {
  it('are byte-identical to the frames each follower built from the event object', async () => {
    const log = new MemoryChannelLog(100);
    const events = await publishAll(log, 'c');
    const stored = (await log.readSerialized('c', undefined, 100)).events;
    // The Redis driver spells the same JSON from a stream entry's fields (`data` already JSON).
    const fromEntries = events.map(({ id, channel, type, data, ts }) =>
      serializeParts({ id, channel, type, dataJson: JSON.stringify(data), ts }),
    );
    expect(stored).toHaveLength(payloads.length);
    const sse = sseFormat(2000);
    for (const [i, event] of events.entries()) {
      for (const form of [stored[i]!, fromEntries[i]!]) {
        expect(sse.event(form)).toBe(oldSse(event));
        expect(ndjsonFormat.event(form)).toBe(oldNdjson(event));
      }
    }
  });

  it('writes page bodies byte-identical to JSON.stringify of the parsed page', async () => {
    const log = new MemoryChannelLog(3); // trims, so an old cursor gets a reset
    const events = await publishAll(log, 'c');
    for (const [after, limit] of [
      [undefined, 2],
      [events[0]!.id, 10],
      [events.at(-1)!.id, 10],
      ['0-0', 1],
    ] as const) {
      const page = await log.readSerialized('c', after, limit);
      expect(pageJson(page)).toBe(JSON.stringify(await log.read('c', after, limit)));
    }
    expect(pageJson(await log.readSerialized('empty', undefined, 5))).toBe(
      JSON.stringify(await log.read('empty', undefined, 5)),
    );
  });
});

describe('one frame per event per process', () => {
  it('builds each live event’s frame once, for any number of followers, and shares its bytes', async () => {
    const log = new MemoryChannelLog(100);
    const { encode, frames, stop } = await followers(log, 'c', 50);
    const events = await publishAll(log, 'c');

    expect(encode).toHaveBeenCalledTimes(events.length);
    for (const mine of frames) {
      expect(mine).toHaveLength(events.length);
      // The very same Buffer: written to every socket, encoded once.
      mine.forEach((frame, i) => expect(frame).toBe(frames[0]![i]));
    }
    expect(frames[0]!.map((frame) => frame.toString())).toEqual(events.map(oldSse));
    stop();
  });

  it('keeps one frame per wire when SSE and NDJSON follow the same channel', async () => {
    const log = new MemoryChannelLog(100);
    const sse = await followers(log, 'c', 5, sseFormat(2000));
    const ndjson = await followers(log, 'c', 5, ndjsonFormat);
    const event = await log.publish('c', payloads[1]!);
    await nextTurn();
    expect(sse.encode).toHaveBeenCalledTimes(1);
    expect(ndjson.encode).toHaveBeenCalledTimes(1);
    expect(sse.frames[4]![0]!.toString()).toBe(oldSse(event));
    expect(ndjson.frames[4]![0]!.toString()).toBe(oldNdjson(event));
    sse.stop();
    ndjson.stop();
  });

  it('frames a backlog around the stored JSON, identical to the live frames', async () => {
    const log = new MemoryChannelLog(100);
    const events = await publishAll(log, 'c');
    const stringify = vi.spyOn(JSON, 'stringify');
    const { frames, stop } = await followers(log, 'c', 3);
    expect(stringify).not.toHaveBeenCalled();
    stringify.mockRestore();
    for (const mine of frames)
      expect(mine.map((frame) => frame.toString())).toEqual(events.map(oldSse));
    stop();
  });
});

describe('metrics counted per fan-out', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hands N deliveries and N × bytes to prom-client in one increment', async () => {
    // prom-client copies `incWithoutExemplar` to each counter's `inc` when it is made.
    const inc = vi.spyOn(
      Counter.prototype as unknown as { incWithoutExemplar: () => void },
      'incWithoutExemplar',
    );
    const metrics = new Metrics();
    // The default process metrics increment their own counters at scrape time: leave them out.
    const deliveryIncs = () =>
      inc.mock.contexts.filter((counter) =>
        (counter as { name: string }).name.startsWith('pushpull_'),
      ).length;
    for (let i = 0; i < 1000; i++) metrics.eventsDelivered('sse', 1, 120);
    metrics.bytesWritten('sse', 7);
    expect(deliveryIncs()).toBe(0);

    const text = await metrics.registry.metrics();
    expect(text).toContain('pushpull_events_delivered_total{mechanism="sse"} 1000');
    expect(text).toContain('pushpull_bytes_written_total{mechanism="sse"} 120007');
    expect(deliveryIncs()).toBe(2);
    // Read again: nothing new, nothing counted twice.
    expect(await metrics.registry.metrics()).toContain(
      'pushpull_events_delivered_total{mechanism="sse"} 1000',
    );
    expect(deliveryIncs()).toBe(2);
  });
});

describe('long-poll waiters woken by one event', () => {
  it('share one read and one answer body per channel, cursor and limit', async () => {
    const log = new MemoryChannelLog(100);
    const head = await log.head('c');
    const [first] = await publishAll(log, 'c');
    const expected = JSON.stringify(await log.read('c', head, 2));
    const read = vi.spyOn(log, 'readSerialized');
    const answers = new WokenAnswers(log);

    const woken = await Promise.all(
      Array.from({ length: 20 }, () => answers.answer('c', head, 2, first!.id)),
    );
    expect(read).toHaveBeenCalledTimes(1);
    woken.forEach((answer) => expect(answer).toBe(woken[0]));
    expect(woken[0]!.body.toString()).toBe(expected);
    expect(woken[0]!.events).toBe(2);

    // Another limit, or waiters woken by another event, read for themselves.
    await Promise.all([answers.answer('c', head, 3, first!.id), answers.answer('c', head, 2, 'x')]);
    expect(read).toHaveBeenCalledTimes(3);
    // Nothing is kept once the read is answered.
    await answers.answer('c', head, 2, first!.id);
    expect(read).toHaveBeenCalledTimes(4);
  });
});
