import type { Page } from '@pushpull/contracts';
import { describe, expect, it } from 'vitest';
import { MemoryChannelLog } from '../../src/channels/memory-channel-log';
import { body, collect, numbers } from './follow-support';
import { nextTurn } from '../support/turns';

// follow() is written once in ChannelLog; these pin its edge cases deterministically on the
// synchronous memory driver. The contract across drivers is in conformance.ts.

describe('ChannelLog.follow', () => {
  it('loses nothing and doubles nothing when events are published while the backlog is read', async () => {
    class RacingLog extends MemoryChannelLog {
      racing = true;
      override async read(
        channel: string,
        after: string | undefined,
        limit: number,
      ): Promise<Page> {
        if (!this.racing) return super.read(channel, after, limit);
        this.racing = false;
        await this.publish(channel, body(100)); // before the read: in history and in the live feed
        const page = await super.read(channel, after, limit);
        await this.publish(channel, body(200)); // after the read: reaches the follower live only
        return page;
      }
    }
    const log = new RacingLog(100);
    await log.publish('c', body(1));
    await log.publish('c', body(2));
    const seen = collect();
    const stop = await log.follow('c', undefined, seen.handlers);
    await nextTurn(); // 200, published after follow's read, arrives live
    const all = numbers((await log.read('c', undefined, 100)).events);
    // Everything in the log up to the end of follow's read, each exactly once, in log order.
    expect(numbers(seen.events)).toEqual(all.slice(0, seen.events.length));
    expect(new Set(seen.events.map((e) => e.id)).size).toBe(seen.events.length);
    expect(numbers(seen.events)).toEqual([1, 2, 100, 200]);
    await log.publish('c', body(300));
    await nextTurn();
    expect(numbers(seen.events)).toEqual([1, 2, 100, 200, 300]);
    stop();
  });

  // At ten thousand followers the fan-out takes a good part of a second: the publisher's answer
  // must not wait for it.
  it('hands a published event to its followers after publish has answered, in publish order', async () => {
    const log = new MemoryChannelLog(100);
    const seen = collect();
    const stop = await log.follow('c', undefined, seen.handlers);
    await log.publish('c', body(1));
    await log.publish('c', body(2));
    expect(seen.events).toEqual([]);
    await nextTurn();
    await nextTurn();
    expect(numbers(seen.events)).toEqual([1, 2]);
    stop();
  });

  it('keeps delivering to the others when one follower throws', async () => {
    const log = new MemoryChannelLog(100);
    const good = collect();
    const stopBad = await log.follow('c', undefined, {
      onEvent: () => {
        throw new Error('boom');
      },
    });
    const stopGood = await log.follow('c', undefined, good.handlers);
    await log.publish('c', body(1));
    await nextTurn();
    expect(numbers(good.events)).toEqual([1]);
    stopBad();
    stopGood();
  });

  it('rejects a malformed cursor and leaves no subscription behind', async () => {
    const log = new MemoryChannelLog(100);
    await expect(log.follow('c', 'nope', collect().handlers)).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
    expect(log.upstreamCount()).toBe(0);
  });
});

describe('ChannelLog.readAll', () => {
  it('answers a reset, never a gap in the middle, when history is trimmed between two pages', async () => {
    class TrimmingLog extends MemoryChannelLog {
      pagesRead = 0;
      override async read(
        channel: string,
        after: string | undefined,
        limit: number,
      ): Promise<Page> {
        // After the first page, 20 publishes push everything not yet read out of the 10 retained.
        if (this.pagesRead++ === 1)
          for (let n = 101; n <= 120; n++) await this.publish(channel, body(n));
        return super.read(channel, after, limit);
      }
    }
    const log = new TrimmingLog(10);
    for (let n = 1; n <= 10; n++) await log.publish('c', body(n));
    const backlog = await log.readAll('c', undefined, 4);
    expect(backlog.reset).toBe(true);
    expect(numbers(backlog.events)).toEqual([111, 112, 113, 114, 115, 116, 117, 118, 119, 120]);
    expect(backlog.cursor).toBe(backlog.events.at(-1)!.id);
  });
});
