import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { MemoryChannelLog } from '../src/channels/memory-channel-log';
import { OpenConnections } from '../src/channels/open-connections';
import type { AppConfig } from '../src/config/app-config';
import { ConnectionsPerIp } from '../src/limits/connections-per-ip';
import { LongPollWaiters } from '../src/mechanisms/long-polling/long-poll-waiters';
import { Metrics } from '../src/metrics/metrics';

// Long-poll waiters on one channel after one cursor share one follow (a "room"): one read of the
// log and one fan-out listener for all of them, not one each; it goes with its last waiter.

function setUp() {
  const log = new MemoryChannelLog(100);
  const metrics = new Metrics();
  const connections = new OpenConnections(log, metrics);
  const perIp = new ConnectionsPerIp({ MAX_CONNECTIONS_PER_IP: 0 } as AppConfig, metrics);
  const waiters = new LongPollWaiters(log, connections, perIp);
  const follow = vi.spyOn(log, 'followShared');
  const wait = (cursor: string, response = fakeResponse()) =>
    waiters.waitAfter('c', cursor, {
      waitMs: 30_000,
      expiresAt: undefined,
      response,
      clientIp: '127.0.0.1',
    });
  return { log, connections, waiters, follow, wait };
}

function fakeResponse(): ServerResponse {
  return Object.assign(new EventEmitter(), { destroyed: false, closed: false }) as never;
}

const publish = (log: MemoryChannelLog, n: number) => log.publish('c', { type: 'n', data: n });

describe('long-poll waiters on one channel and cursor', () => {
  it('share one follow, and are all woken by the first event after the cursor', async () => {
    const { log, connections, waiters, follow, wait } = setUp();
    const head = await log.head('c');
    const held = Array.from({ length: 50 }, () => wait(head));
    await vi.waitFor(() => expect(log.upstreamCount()).toBe(1));
    expect(follow).toHaveBeenCalledTimes(1);
    expect(waiters.roomCount()).toBe(1);
    expect(connections.counts().longPollWaiters).toBe(50);

    const event = await publish(log, 1);
    for (const result of await Promise.all(held))
      expect(result).toEqual({ outcome: 'event', wokenBy: event.id });
    expect(waiters.roomCount()).toBe(0);
    expect(connections.counts().longPollWaiters).toBe(0);
    await vi.waitFor(() => expect(log.upstreamCount()).toBe(0));
  });

  it('closes the shared follow when the last waiter leaves, not before', async () => {
    const { log, waiters, wait } = setUp();
    const head = await log.head('c');
    const responses = [fakeResponse(), fakeResponse()];
    const held = responses.map((response) => wait(head, response));
    await vi.waitFor(() => expect(log.upstreamCount()).toBe(1));

    responses[0]!.emit('close');
    expect(await held[0]).toEqual({ outcome: 'aborted', wokenBy: undefined });
    expect(waiters.roomCount()).toBe(1);
    expect(log.upstreamCount()).toBe(1);

    responses[1]!.emit('close');
    expect(await held[1]).toEqual({ outcome: 'aborted', wokenBy: undefined });
    expect(waiters.roomCount()).toBe(0);
    await vi.waitFor(() => expect(log.upstreamCount()).toBe(0));
  });

  it('answers at once a waiter that comes after its room was woken, from the log', async () => {
    const { log, waiters, wait } = setUp();
    const head = await log.head('c');
    const first = wait(head);
    await vi.waitFor(() => expect(waiters.roomCount()).toBe(1));
    const event = await publish(log, 1);
    expect(await first).toEqual({ outcome: 'event', wokenBy: event.id });
    // Same cursor, after the event: a new room, whose read finds the event.
    expect(await wait(head)).toEqual({ outcome: 'event', wokenBy: event.id });
    expect(waiters.roomCount()).toBe(0);
  });

  it('keeps waiters after different cursors in rooms of their own', async () => {
    const { log, waiters, wait } = setUp();
    const head = await log.head('c');
    const one = await publish(log, 1);
    const atHead = wait(head);
    const afterOne = wait(one.id);
    // The waiter after `head` is woken by `one` at once (it is in the log); the other waits.
    expect(await atHead).toEqual({ outcome: 'event', wokenBy: one.id });
    await vi.waitFor(() => expect(waiters.roomCount()).toBe(1));
    const two = await publish(log, 2);
    expect(await afterOne).toEqual({ outcome: 'event', wokenBy: two.id });
  });
});
