import type { ChannelEvent, Page } from '@pushpull/contracts';
import { describe, expect, it } from 'vitest';
import { MemoryChannelLog } from '../src/channels/memory-channel-log';
import { ApiError } from '../src/common/api-error';

const body = (n: number) => ({ type: 'n', data: n });
const numbers = (events: ChannelEvent[]) => events.map((event) => event.data);

async function publishMany(log: MemoryChannelLog, channel: string, count: number, from = 1) {
  for (let n = from; n < from + count; n++) await log.publish(channel, body(n));
}

function collect() {
  const events: ChannelEvent[] = [];
  const resets: string[] = [];
  return {
    events,
    resets,
    handlers: {
      onEvent: (e: ChannelEvent) => events.push(e),
      onReset: (c: string) => resets.push(c),
    },
  };
}

describe('MemoryChannelLog', () => {
  it('gives ordered <epoch>-<seq> ids and keeps order under concurrent publishers', async () => {
    const log = new MemoryChannelLog(1000, 42);
    await Promise.all(
      Array.from({ length: 5 }, (_, p) =>
        Promise.all(Array.from({ length: 20 }, (_, i) => log.publish('c', body(p * 100 + i)))),
      ),
    );
    const page = await log.read('c', undefined, 1000);
    expect(page.events).toHaveLength(100);
    expect(page.events.map((e) => e.id)).toEqual(
      Array.from({ length: 100 }, (_, i) => `42-${i + 1}`),
    );
    expect(new Set(numbers(page.events)).size).toBe(100);
  });

  it('keeps channels apart', async () => {
    const log = new MemoryChannelLog(10, 1);
    await log.publish('a', body(1));
    await log.publish('b', body(2));
    expect(numbers((await log.read('a', undefined, 10)).events)).toEqual([1]);
    expect(await log.head('b')).toBe('1-1');
  });

  it('pages with limit and says when there is more', async () => {
    const log = new MemoryChannelLog(100, 1);
    await publishMany(log, 'c', 5);
    const first = await log.read('c', undefined, 2);
    expect(first).toMatchObject({ cursor: '1-2', more: true });
    const second = await log.read('c', first.cursor, 2);
    expect(numbers(second.events)).toEqual([3, 4]);
    const last = await log.read('c', second.cursor, 2);
    expect(last).toEqual({ events: [last.events[0]], cursor: '1-5' });
  });

  it('answers an up-to-date cursor with no events and the same cursor', async () => {
    const log = new MemoryChannelLog(100, 1);
    await publishMany(log, 'c', 3);
    expect(await log.read('c', '1-3', 10)).toEqual({ events: [], cursor: '1-3' });
  });

  it('treats the head of an empty channel as "before everything"', async () => {
    const log = new MemoryChannelLog(100, 7);
    const head = await log.head('empty');
    expect(head).toBe('7-0');
    expect(await log.read('empty', head, 10)).toEqual({ events: [], cursor: '7-0' });
    await log.publish('empty', body(1));
    expect(numbers((await log.read('empty', head, 10)).events)).toEqual([1]);
  });

  it('bounds history per channel and keeps the newest', async () => {
    const log = new MemoryChannelLog(3, 1);
    await publishMany(log, 'c', 10);
    const page = await log.read('c', undefined, 100);
    expect(numbers(page.events)).toEqual([8, 9, 10]);
    expect(page.reset).toBeUndefined();
  });

  it('resets a cursor older than retained history to the oldest event, never a silent gap', async () => {
    const log = new MemoryChannelLog(3, 1);
    await publishMany(log, 'c', 10);
    // 1-7 is just before the oldest retained (8): nothing was lost, so no reset.
    const fresh = await log.read('c', '1-7', 10);
    expect(numbers(fresh.events)).toEqual([8, 9, 10]);
    expect(fresh.reset).toBeUndefined();
    const stale = await log.read('c', '1-6', 10);
    expect(stale.reset).toBe(true);
    expect(numbers(stale.events)).toEqual([8, 9, 10]);
  });

  it('resets a cursor from another epoch (a restarted server) and one from the future', async () => {
    const log = new MemoryChannelLog(10, 2);
    await publishMany(log, 'c', 2);
    for (const cursor of ['1-1', '2-99']) {
      const page = await log.read('c', cursor, 10);
      expect(page.reset).toBe(true);
      expect(numbers(page.events)).toEqual([1, 2]);
    }
    expect(await log.read('empty', '1-5', 10)).toEqual({ events: [], cursor: '2-0', reset: true });
  });

  it('refuses a cursor that is not a cursor', async () => {
    const log = new MemoryChannelLog(10, 1);
    for (const cursor of ['', 'abc', '1-', '-1', '1-2-3', '1.5-2']) {
      await expect(log.read('c', cursor, 10)).rejects.toMatchObject({ code: 'invalid_cursor' });
    }
    await expect(log.read('c', 'x', 10)).rejects.toBeInstanceOf(ApiError);
  });
});

describe('ChannelLog.follow', () => {
  it('delivers the backlog after the cursor, then live events, in order', async () => {
    const log = new MemoryChannelLog(100, 1);
    await publishMany(log, 'c', 3);
    const seen = collect();
    const stop = await log.follow('c', '1-1', seen.handlers);
    await publishMany(log, 'c', 2, 4);
    expect(numbers(seen.events)).toEqual([2, 3, 4, 5]);
    stop();
  });

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
    const log = new RacingLog(100, 1);
    await publishMany(log, 'c', 2);
    const seen = collect();
    const stop = await log.follow('c', undefined, seen.handlers);
    const all = numbers((await log.read('c', undefined, 100)).events);
    // Everything in the log up to the end of follow's read, each exactly once, in log order.
    expect(numbers(seen.events)).toEqual(all.slice(0, seen.events.length));
    expect(new Set(seen.events.map((e) => e.id)).size).toBe(seen.events.length);
    expect(numbers(seen.events)).toEqual([1, 2, 100, 200]);
    await log.publish('c', body(300));
    expect(numbers(seen.events)).toEqual([1, 2, 100, 200, 300]);
    stop();
  });

  it('pages through a backlog longer than one read', async () => {
    const log = new MemoryChannelLog(5000, 1);
    await publishMany(log, 'c', 2500);
    const seen = collect();
    const stop = await log.follow('c', undefined, seen.handlers);
    expect(seen.events).toHaveLength(2500);
    expect(seen.events[2499]?.data).toBe(2500);
    stop();
  });

  it('reports a reset before the backlog, with a cursor just before the oldest event', async () => {
    const log = new MemoryChannelLog(2, 1);
    await publishMany(log, 'c', 5);
    const seen = collect();
    const stop = await log.follow('c', '1-1', seen.handlers);
    expect(seen.resets).toEqual(['1-3']);
    expect(numbers(seen.events)).toEqual([4, 5]);
    stop();
  });

  it('stops delivering after unsubscribe and drops the upstream with the last follower', async () => {
    const log = new MemoryChannelLog(100, 1);
    const a = collect();
    const b = collect();
    const stopA = await log.follow('c', undefined, a.handlers);
    const stopB = await log.follow('c', undefined, b.handlers);
    expect(log.upstreamCount()).toBe(1);
    await log.publish('c', body(1));
    stopA();
    await log.publish('c', body(2));
    expect(numbers(a.events)).toEqual([1]);
    expect(numbers(b.events)).toEqual([1, 2]);
    stopB();
    stopB();
    expect(log.upstreamCount()).toBe(0);
  });

  it('keeps delivering to the others when one follower throws', async () => {
    const log = new MemoryChannelLog(100, 1);
    const good = collect();
    const stopBad = await log.follow('c', undefined, {
      onEvent: () => {
        throw new Error('boom');
      },
    });
    const stopGood = await log.follow('c', undefined, good.handlers);
    await log.publish('c', body(1));
    expect(numbers(good.events)).toEqual([1]);
    stopBad();
    stopGood();
  });

  it('rejects a malformed cursor and leaves no subscription behind', async () => {
    const log = new MemoryChannelLog(100, 1);
    await expect(log.follow('c', 'nope', collect().handlers)).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
    expect(log.upstreamCount()).toBe(0);
  });
});
