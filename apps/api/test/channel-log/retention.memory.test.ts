import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CHANNEL_OVERHEAD_BYTES } from '../../src/channels/channel-history';
import { MemoryChannelLog } from '../../src/channels/memory-channel-log';
import { heldBytes, serializeEvent } from '../../src/channels/serialized-event';
import { body, collect, numbers, publishMany, range } from './follow-support';
import { nextTurn } from '../support/turns';

// MAX_RETAINED_BYTES and CHANNEL_TTL_S on the memory backplane (docs/limits.md, "Retained
// memory"). The TTL and resets on both drivers are in conformance.ts.

const KIB = 1024;
/** An event whose stored JSON is about `bytes` long. */
const sized = (bytes: number, char = 'x') => ({ type: 'n', data: char.repeat(bytes - 70) });
const alive = async (log: MemoryChannelLog, channel: string) => (await log.head(channel)) !== '0-0';

describe('MemoryChannelLog retention', () => {
  it('never holds more than MAX_RETAINED_BYTES, counted from what it holds', async () => {
    const log = new MemoryChannelLog(50, { maxRetainedBytes: 64 * KIB });
    const channels = range(1, 40).map((n) => `mixed-${n}`);
    for (let n = 0; n < 2000; n++) {
      // Sizes from 80 B to 4 KiB, a third of them stored at two bytes a character.
      const char = n % 3 === 0 ? 'ż' : 'x';
      await log.publish(channels[(n * 7) % 40]!, sized(80 + ((n * 997) % 4000), char));
      expect(log.retained().bytes).toBeLessThanOrEqual(64 * KIB);
    }
    // The running count is exactly what the channels hold, recounted from scratch.
    let recounted = 0;
    for (const channel of channels) {
      const { events } = await log.read(channel, undefined, 1000);
      if (await alive(log, channel))
        recounted +=
          CHANNEL_OVERHEAD_BYTES + events.reduce((sum, e) => sum + heldBytes(serializeEvent(e)), 0);
    }
    expect(log.retained().bytes).toBe(recounted);
    expect(log.retained().bytes).toBeGreaterThan(32 * KIB); // bounded, not emptied
  });

  it('drops whole channels nobody follows first, least recently written first', async () => {
    // Room for about four channels of one 4 KiB event.
    const log = new MemoryChannelLog(10, { maxRetainedBytes: 4 * (4 * KIB + 800) });
    for (const channel of ['a', 'b', 'c', 'd']) await log.publish(channel, sized(4 * KIB));
    await log.publish('a', sized(100)); // a is now the most recently written
    await log.publish('e', sized(4 * KIB));
    expect(await alive(log, 'b')).toBe(false);
    expect(await Promise.all(['a', 'c', 'd', 'e'].map((c) => alive(log, c)))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    await log.publish('f', sized(4 * KIB));
    expect(await alive(log, 'c')).toBe(false);
    expect(await alive(log, 'a')).toBe(true);
    expect(log.retained().channels).toBe(4);
  });

  it('keeps a followed channel whole, then drops the oldest events of any channel', async () => {
    const log = new MemoryChannelLog(100, { maxRetainedBytes: 64 * KIB });
    const followed = await publishMany(log, 'followed', range(1, 5));
    const seen = collect();
    const stop = await log.follow('followed', followed[4]!.id, seen.handlers);
    // A flood into other channels drops those (nobody follows them), never the followed one.
    for (let n = 0; n < 100; n++) await log.publish(`idle-${n}`, sized(2 * KIB));
    expect(numbers((await log.read('followed', undefined, 100)).events)).toEqual(range(1, 5));
    expect(log.retained().bytes).toBeLessThanOrEqual(64 * KIB);

    // Two followed channels and no idle ones left: the oldest events go, wherever they are.
    const stopOther = await log.follow('busy', undefined, collect().handlers);
    for (let n = 0; n < 40; n++) await log.publish('busy', sized(2 * KIB));
    expect(log.retained().bytes).toBeLessThanOrEqual(64 * KIB);
    expect((await log.read('followed', undefined, 100)).events).toEqual([]);
    // Its epoch and sequence stay: the follower's cursor is still good, nothing is a reset.
    expect(await log.head('followed')).toBe(followed[4]!.id);
    const next = await log.publish('followed', body(6));
    await nextTurn();
    expect(next.id.split('-')[0]).toBe(followed[0]!.id.split('-')[0]);
    expect(numbers(seen.events)).toEqual([6]);
    expect(seen.resets).toEqual([]);
    expect((await log.read('followed', followed[4]!.id, 10)).reset).toBeUndefined();
    stop();
    stopOther();
  });

  it('forgets a channel CHANNEL_TTL_S after its last write, and frees what it held', async () => {
    let now = 1_700_000_000_000;
    const log = new MemoryChannelLog(10, { channelTtlMs: 60_000, now: () => now });
    await log.publish('quiet', body(1));
    await log.publish('written', body(1));
    const empty = log.retained().bytes;
    now += 59_000;
    await log.publish('written', body(2)); // renews its TTL
    now += 2_000;
    log.sweep();
    expect(log.retained().channels).toBe(1);
    expect(log.retained().bytes).toBeLessThan(empty);
    expect(await log.head('quiet')).toBe('0-0');
    expect(numbers((await log.read('written', undefined, 10)).events)).toEqual([1, 2]);
    await log.close();
  });

  it('counts retained bytes as V8 really holds them (within 20%)', async () => {
    // Measured in a child with --expose-gc: the heap's growth against the log's own count.
    const dist = path.resolve(__dirname, '../../dist/channels/memory-channel-log.js');
    const script = `
      const { MemoryChannelLog } = require(${JSON.stringify(dist)});
      const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
      (async () => {
        const ratios = [];
        for (const [channels, each, size, char] of [[20000, 1, 20, 'x'], [200, 50, 2000, 'ż'], [50, 40, 16000, 'x']]) {
          const log = new MemoryChannelLog(1000, { maxRetainedBytes: 2 ** 40 });
          const before = heap();
          for (let c = 0; c < channels; c++)
            for (let i = 0; i < each; i++) await log.publish('c' + c, { type: 'n', data: { text: char.repeat(size), i } });
          ratios.push(log.retained().bytes / (heap() - before));
          await log.close();
        }
        console.log(JSON.stringify(ratios));
      })();`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '-e', script]);
    for (const ratio of JSON.parse(stdout) as number[]) {
      expect(ratio).toBeGreaterThan(0.95); // never counts less than it holds (by much)
      expect(ratio).toBeLessThan(1.2);
    }
  });
});
