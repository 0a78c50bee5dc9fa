import type { ChannelEvent } from '@pushpull/contracts';
import { vi } from 'vitest';
import type { FollowHandlers } from '../../src/channels/channel-log';

export { range } from '../support/http';

/** The events the channel-log tests publish: `{type:'n', data:n}`, so order reads as numbers. */
export const body = (n: number) => ({ type: 'n', data: n });
export const numbers = (events: ChannelEvent[]) => events.map((event) => event.data);

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
