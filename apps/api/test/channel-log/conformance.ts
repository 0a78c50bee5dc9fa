import { afterAll, describe, expect, it } from 'vitest';
import type { ChannelLog } from '../../src/channels/channel-log';
import { compareCursors } from '../../src/channels/cursor';
import {
  body,
  collect,
  eventually,
  freshChannel,
  numbers,
  publishMany,
  range,
} from './follow-support';
import { describeReadAll } from './read-all-conformance';

/**
 * How the suite gets a driver: two handles on one shared log (two API instances on Redis; the
 * same object twice in memory, where there is only one process), bounded at `historySize`, with
 * channels forgotten `channelTtlS` after their last write (long unless a test says otherwise).
 */
export interface ChannelLogHarness {
  open(historySize: number, channelTtlS?: number): Promise<[ChannelLog, ChannelLog]>;
  /** Trimming is approximate on Redis (`MAXLEN ~`): how many events past the bound may remain. */
  trimSlack: number;
  close(): Promise<void>;
}

/**
 * The ChannelLog contract every driver passes (docs/architecture.md, "The ChannelLog port" and "Reset"):
 * order, the history bound, the reset rules, publishers on two instances, reading to the end,
 * follow and unfollow.
 */
export function describeChannelLogConformance(name: string, harness: ChannelLogHarness): void {
  describe(`ChannelLog conformance: ${name}`, () => {
    afterAll(() => harness.close());

    it('hands out ordered ids that agree across instances, under concurrent publishers', async () => {
      const [a, b] = await harness.open(1000);
      const channel = freshChannel();
      const published = await Promise.all(
        range(0, 99).map((n) => (n % 2 ? a : b).publish(channel, body(n))),
      );
      const fromA = await a.read(channel, undefined, 1000);
      const fromB = await b.read(channel, undefined, 1000);
      expect(fromA).toEqual(fromB);
      expect(fromA.events).toHaveLength(100);
      expect(new Set(numbers(fromA.events))).toEqual(new Set(range(0, 99)));
      // What each publisher was told is what the log holds, and the log is in id order.
      expect([...published].sort((x, y) => compareCursors(x.id, y.id))).toEqual(fromA.events);
      expect(await a.head(channel)).toBe(fromA.events[99]!.id);
      expect(await b.head(channel)).toBe(fromA.events[99]!.id);
    });

    it('stores the event as published, with the server time', async () => {
      const [log] = await harness.open(10);
      const channel = freshChannel();
      const before = Date.now();
      const data = { nested: [1, 'two', null, { three: true }], unicode: 'żółw 🐢' };
      const event = await log.publish(channel, { type: 'thing.happened', data });
      expect(event).toMatchObject({ channel, type: 'thing.happened', data });
      expect(event.ts).toBeGreaterThanOrEqual(before - 1000);
      expect((await log.read(channel, undefined, 10)).events).toEqual([event]);
    });

    it('keeps channels apart', async () => {
      const [log] = await harness.open(10);
      const [one, two] = [freshChannel(), freshChannel()];
      await log.publish(one, body(1));
      await log.publish(two, body(2));
      expect(numbers((await log.read(one, undefined, 10)).events)).toEqual([1]);
      expect(numbers((await log.read(two, undefined, 10)).events)).toEqual([2]);
    });

    it('pages with limit and says when there is more', async () => {
      const [log] = await harness.open(100);
      const channel = freshChannel();
      const events = await publishMany(log, channel, range(1, 5));
      const first = await log.read(channel, undefined, 2);
      expect(first).toEqual({ events: events.slice(0, 2), cursor: events[1]!.id, more: true });
      const second = await log.read(channel, first.cursor, 2);
      expect(numbers(second.events)).toEqual([3, 4]);
      expect(await log.read(channel, second.cursor, 2)).toEqual({
        events: [events[4]],
        cursor: events[4]!.id,
      });
    });

    it('answers an up-to-date cursor with no events and the same cursor', async () => {
      const [log] = await harness.open(100);
      const channel = freshChannel();
      const events = await publishMany(log, channel, range(1, 3));
      expect(await log.read(channel, events[2]!.id, 10)).toEqual({
        events: [],
        cursor: events[2]!.id,
      });
    });

    it('treats the head of an empty channel as "before everything"', async () => {
      const [a, b] = await harness.open(100);
      const channel = freshChannel();
      const head = await a.head(channel);
      expect(await a.read(channel, head, 10)).toEqual({ events: [], cursor: head });
      expect(await a.read(channel, undefined, 10)).toEqual({ events: [], cursor: head });
      await b.publish(channel, body(1));
      const page = await a.read(channel, head, 10);
      expect(numbers(page.events)).toEqual([1]);
      expect(page.reset).toBeUndefined();
    });

    it('bounds history per channel and keeps the newest, in order', async () => {
      const [log] = await harness.open(10);
      const channel = freshChannel();
      await publishMany(log, channel, range(1, 300));
      const { events } = await log.read(channel, undefined, 1000);
      expect(events.length).toBeGreaterThanOrEqual(10);
      expect(events.length).toBeLessThanOrEqual(10 + harness.trimSlack);
      expect(numbers(events)).toEqual(range(301 - events.length, 300));
    });

    it('resets a cursor older than retained history to the oldest event, never a silent gap', async () => {
      const [log] = await harness.open(10);
      const channel = freshChannel();
      const all = await publishMany(log, channel, range(1, 300));
      const retained = (await log.read(channel, undefined, 1000)).events;
      const oldest = retained[0]!.data as number;
      // Just before the oldest retained: nothing was lost, so no reset.
      const fresh = await log.read(channel, all[oldest - 2]!.id, 1000);
      expect(fresh.reset).toBeUndefined();
      expect(fresh.events).toEqual(retained);
      for (const cursor of [all[0]!.id, all[oldest - 3]!.id]) {
        const stale = await log.read(channel, cursor, 1000);
        expect(stale.reset).toBe(true);
        expect(stale.events).toEqual(retained);
      }
    });

    it('resets the "before everything" cursor once the first event is trimmed away', async () => {
      const [log] = await harness.open(10);
      const channel = freshChannel();
      const head = await log.head(channel);
      await publishMany(log, channel, range(1, 300));
      const page = await log.read(channel, head, 1000);
      expect(page.reset).toBe(true);
      expect(page.events.at(-1)?.data).toBe(300);
    });

    it('resets a cursor from the future and one from another life of the channel', async () => {
      const [log] = await harness.open(100);
      const channel = freshChannel();
      const old = await publishMany(log, channel, range(1, 5));
      // The channel expires and is written again: its old ids must not be mistaken for new ones.
      await log.expire(channel, 0);
      await eventually(async () => expect(await log.head(channel)).toBe('0-0'));
      await publishMany(log, channel, range(101, 110));
      const stale = await log.read(channel, old[2]!.id, 100);
      expect(stale.reset).toBe(true);
      expect(numbers(stale.events)).toEqual(range(101, 110));

      const [epoch] = old[0]!.id.split('-');
      const future = await log.read(channel, `${epoch}-999999`, 100);
      expect(future.reset).toBe(true);
      const gone = await log.read(freshChannel(), old[2]!.id, 100);
      expect(gone).toEqual({ events: [], cursor: '0-0', reset: true });
    });

    it('forgets a channel not written for CHANNEL_TTL_S: its cursors reset, its new life is new', async () => {
      const [a, b] = await harness.open(100, 1);
      const channel = freshChannel();
      const old = await publishMany(a, channel, range(1, 3));
      const seen = collect();
      const stop = await b.follow(channel, old[2]!.id, seen.handlers);
      await eventually(async () => expect(await a.head(channel)).toBe('0-0'));
      expect(await b.read(channel, old[1]!.id, 10)).toEqual({
        events: [],
        cursor: '0-0',
        reset: true,
      });
      // Written again, it starts a new epoch: old cursors reset onto the new events, never a gap,
      // and a follower that stayed on gets the new events in order.
      const renewed = await publishMany(a, channel, range(4, 5));
      expect(compareCursors(renewed[0]!.id, old[2]!.id)).toBeGreaterThan(0);
      const page = await b.read(channel, old[2]!.id, 10);
      expect(page.reset).toBe(true);
      expect(numbers(page.events)).toEqual([4, 5]);
      await eventually(() => expect(numbers(seen.events)).toEqual([4, 5]));
      stop();
    });

    it('refuses a cursor that is not a cursor', async () => {
      const [log] = await harness.open(10);
      for (const cursor of ['', 'abc', '1-', '-1', '1-2-3', '1.5-2', '(1-2', '+', '-']) {
        await expect(log.read(freshChannel(), cursor, 10)).rejects.toMatchObject({
          code: 'invalid_cursor',
        });
      }
    });

    describeReadAll(harness);

    it('follows: the backlog after the cursor, then live events from either instance, in order', async () => {
      const [a, b] = await harness.open(100);
      const channel = freshChannel();
      const backlog = await publishMany(a, channel, range(1, 3));
      const seen = collect();
      const stop = await a.follow(channel, backlog[0]!.id, seen.handlers);
      await publishMany(b, channel, range(4, 5));
      await publishMany(a, channel, range(6, 7));
      await eventually(() => expect(numbers(seen.events)).toEqual(range(2, 7)));
      stop();
    });

    it('loses nothing and doubles nothing while publishers race a new follower', async () => {
      const [a, b] = await harness.open(1000);
      const channel = freshChannel();
      const publishing = (async () => {
        for (let n = 1; n <= 200; n++) await b.publish(channel, body(n));
      })();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const seen = collect();
      const stop = await a.follow(channel, undefined, seen.handlers);
      await publishing;
      await eventually(() => expect(numbers(seen.events)).toEqual(range(1, 200)));
      stop();
    });

    it('pages through a backlog longer than one read', async () => {
      const [log] = await harness.open(5000);
      const channel = freshChannel();
      await Promise.all(range(1, 2500).map((n) => log.publish(channel, body(n))));
      const seen = collect();
      const stop = await log.follow(channel, undefined, seen.handlers);
      expect(seen.events).toHaveLength(2500);
      expect(new Set(seen.events.map((e) => e.id)).size).toBe(2500);
      stop();
    });

    it('reports a reset before the backlog, with a cursor just before the oldest event', async () => {
      const [log] = await harness.open(10);
      const channel = freshChannel();
      const all = await publishMany(log, channel, range(1, 300));
      const retained = (await log.read(channel, undefined, 1000)).events;
      const seen = collect();
      const stop = await log.follow(channel, all[0]!.id, seen.handlers);
      const oldest = retained[0]!.data as number;
      expect(seen.resets).toEqual([all[oldest - 2]!.id]);
      expect(seen.events).toEqual(retained);
      stop();
    });

    it('stops delivering after unsubscribe and holds one upstream feed per channel', async () => {
      const [log, other] = await harness.open(100);
      const channel = freshChannel();
      const a = collect();
      const b = collect();
      const stopA = await log.follow(channel, undefined, a.handlers);
      const stopB = await log.follow(channel, undefined, b.handlers);
      expect(log.upstreamCount()).toBe(1);
      await other.publish(channel, body(1));
      await eventually(() => expect(numbers(a.events)).toEqual([1]));
      stopA();
      await other.publish(channel, body(2));
      await eventually(() => expect(numbers(b.events)).toEqual([1, 2]));
      expect(numbers(a.events)).toEqual([1]);
      stopB();
      stopB();
      expect(log.upstreamCount()).toBe(0);
      // Following again after the upstream closed starts a new one that works.
      const c = collect();
      const stopC = await log.follow(channel, await log.head(channel), c.handlers);
      await other.publish(channel, body(3));
      await eventually(() => expect(numbers(c.events)).toEqual([3]));
      stopC();
    });

    it('follows many channels at once, each in its own order', async () => {
      const [a, b] = await harness.open(100);
      const channels = range(1, 20).map(() => freshChannel());
      const seen = channels.map(() => collect());
      const stops = await Promise.all(
        channels.map((channel, i) => a.follow(channel, undefined, seen[i]!.handlers)),
      );
      await Promise.all(channels.map((channel) => publishMany(b, channel, range(1, 10))));
      await eventually(() => seen.forEach((s) => expect(numbers(s.events)).toEqual(range(1, 10))));
      stops.forEach((stop) => stop());
    });
  });
}
