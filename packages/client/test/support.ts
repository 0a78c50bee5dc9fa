import type { ChannelEvent } from '@pushpull/contracts';
import { publish, type Subscription, type SubscriptionStatus } from '../src';

/** Collects a subscription's events and lets a test wait for a condition without sleeping blindly. */
export function observe(subscription: Subscription) {
  const events: ChannelEvent[] = [];
  const statuses: SubscriptionStatus[] = [];
  const resets: string[] = [];
  const errors: string[] = [];
  subscription.on('event', (event) => events.push(event));
  subscription.on('reset', ({ cursor }) => resets.push(cursor));
  subscription.on('status', (change) => {
    statuses.push(change.status);
    if (change.error) errors.push(change.error.code);
  });
  return { events, statuses, resets, errors, data: () => events.map((event) => event.data) };
}

export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let channelCount = 0;
export const freshChannel = () => `client-${process.pid}-${++channelCount}`;

/** Short timings so a test spends its time on behaviour, not on waiting out production defaults. */
export const FAST = { intervalMs: 20, waitS: 2, backoff: { baseMs: 10, maxMs: 50 } };

/** Publishes `{type:'n', data:n}` for n = from…to, one after another, so order is known. */
export async function publishNumbers(baseUrl: string, channel: string, from: number, to: number) {
  for (let n = from; n <= to; n++) await publish(baseUrl, channel, { type: 'n', data: n });
}
export const numbers = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
