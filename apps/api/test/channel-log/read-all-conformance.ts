import { describe, expect, it } from 'vitest';
import type { ChannelLogHarness } from './conformance';
import { freshChannel, numbers, publishMany, range } from './follow-support';

/** `readAll`: what a subscribe ack and the job fold read, every page to the end, in one answer. */
export function describeReadAll(harness: ChannelLogHarness): void {
  describe('readAll', () => {
    it('reads every page after the cursor into one answer that ends at the last event', async () => {
      const [log] = await harness.open(100);
      const channel = freshChannel();
      const events = await publishMany(log, channel, range(1, 7));
      expect(await log.readAll(channel, undefined, 3)).toEqual({
        events,
        cursor: events[6]!.id,
      });
      expect(await log.readAll(channel, events[1]!.id, 2)).toEqual({
        events: events.slice(2),
        cursor: events[6]!.id,
      });
    });

    it('answers an empty or up-to-date channel with no events and a cursor to resume from', async () => {
      const [log] = await harness.open(100);
      const channel = freshChannel();
      const head = await log.head(channel);
      expect(await log.readAll(channel, undefined, 3)).toEqual({ events: [], cursor: head });
      const [event] = await publishMany(log, channel, [1]);
      expect(await log.readAll(channel, event!.id, 3)).toEqual({ events: [], cursor: event!.id });
    });

    it('resets a stale cursor to the oldest retained event and reads on to the newest', async () => {
      const [log] = await harness.open(10);
      const channel = freshChannel();
      const all = await publishMany(log, channel, range(1, 300));
      const retained = (await log.read(channel, undefined, 1000)).events;
      const backlog = await log.readAll(channel, all[0]!.id, 4);
      expect(backlog.reset).toBe(true);
      expect(backlog.events).toEqual(retained);
      expect(numbers(backlog.events).at(-1)).toBe(300);
    });
  });
}
