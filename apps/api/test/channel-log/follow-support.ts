import type { ChannelEvent } from '@pushpull/contracts';
import { vi } from 'vitest';
import type { ChannelLog, FollowHandlers } from '../../src/channels/channel-log';

export { range } from '../support/http';

/** The events the channel-log tests publish: `{type:'n', data:n}`, so order reads as numbers. */
export const body = (n: number) => ({ type: 'n', data: n });
export const numbers = (events: ChannelEvent[]) => events.map((event) => event.data);

let channelCount = 0;
/** A fresh channel per test, so tests never see each other's events. */
export const freshChannel = () => `conf-${process.pid}-${++channelCount}`;

/** Publishes `body(n)` for each value, one after another; returns the stored events. */
export async function publishMany(log: ChannelLog, channel: string, values: number[]) {
  const events: ChannelEvent[] = [];
  for (const n of values) events.push(await log.publish(channel, body(n)));
  return events;
}

/** What a follower was handed: events and reset cursors, in order. */
export function collect() {
  const events: ChannelEvent[] = [];
  const resets: string[] = [];
  const handlers: FollowHandlers = {
    onEvent: (e) => events.push(e),
    onReset: (c) => resets.push(c),
  };
  return { events, resets, handlers };
}

/** Live delivery is asynchronous on a networked driver: wait for it, never for a fixed time. */
export const eventually = (assertion: () => void | Promise<void>) =>
  vi.waitFor(assertion, { timeout: 15_000, interval: 20 });
