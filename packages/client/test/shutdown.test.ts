import { startApi } from '@pushpull/api/testing';
import { describe, expect, it } from 'vitest';
import { connect, submitJob, type Subscription } from '../src';
import { FAST, freshChannel, numbers, observe, publishNumbers, until } from './support';
import { twoInstances } from './two-instances';

// DESIGN.md, "Leaving without dropping anyone": a draining instance tells every held connection
// `shutdown`; the client reconnects after a full-jitter delay, to its fallback origin, and resumes
// from its last id there. Two API instances share the Redis backplane (a prefix of this run's own),
// so ids agree; A is SIGTERMed (a drain, not a crash) while the subscription is open on it.
const cluster = twoInstances('shutdown');

/** The wire log's lines, to show the client took the shutdown path and not a failure's. */
function wireLog(subscription: Subscription): string[] {
  const lines: string[] = [];
  subscription.on('wire', (entry) => lines.push(entry.summary));
  return lines;
}

describe.each(['long-polling', 'sse', 'streaming', 'websocket'] as const)(
  'shutdown: %s',
  (mechanism) => {
    it('logs the shutdown, fails over to B after the jitter and resumes there, losing nothing', async () => {
      const a = await startApi(cluster.env);
      const channel = freshChannel();
      const subscription = connect(mechanism, {
        baseUrl: a.url,
        fallbackUrls: [cluster.b.url],
        channel,
        ...FAST,
        shutdownJitterMs: 100,
      });
      const seen = observe(subscription);
      const wire = wireLog(subscription);
      await until(() => subscription.status === 'open', 'open on A');
      await publishNumbers(cluster.b.url, channel, 1, 5);
      await until(() => seen.events.length === 5, 'events 1-5 through A');

      await a.stop(); // SIGTERM: the drain, which resolves once A has exited
      expect(await a.exited).toBe(0);
      await publishNumbers(cluster.b.url, channel, 6, 10);
      await until(() => seen.events.length === 10, 'events 6-10 after failing over to B');

      expect(seen.data()).toEqual(numbers(1, 10));
      expect(seen.resets).toEqual([]);
      // The drain was read as one: no failure on the way to B, one reconnect.
      expect(seen.errors).toEqual(['server_shutdown']);
      expect(subscription.stats().reconnects).toBe(1);
      const told = wire.findIndex(
        (line) => line === 'closing: shutdown' || /^closing: shutdown /.test(line),
      );
      const waiting = wire.findIndex((line) =>
        /^server shutting down → reconnecting in \d+ ms$/.test(line),
      );
      const failover = wire.indexOf(`failing over to ${cluster.b.url}`);
      expect(told).toBeGreaterThanOrEqual(0);
      expect(waiting).toBeGreaterThan(told);
      expect(failover).toBeGreaterThan(waiting);
      subscription.close();
    });
  },
);

describe('shutdown without a fallback origin: sse', () => {
  it('stops the EventSource and comes back to the restarted instance on its own schedule', async () => {
    const a = await startApi(cluster.env);
    const channel = freshChannel();
    // The server's `retry:` hint (SSE_RETRY_MS) would bring every EventSource back at one instant:
    // the client's jitter must take over from it.
    const subscription = connect('sse', {
      baseUrl: a.url,
      channel,
      ...FAST,
      shutdownJitterMs: 100,
    });
    const seen = observe(subscription);
    const wire = wireLog(subscription);
    await until(() => subscription.status === 'open', 'open on A');
    await publishNumbers(cluster.b.url, channel, 1, 3);
    await until(() => seen.events.length === 3, 'events 1-3');

    await a.stop();
    const restarted = await startApi(cluster.env, { port: a.port });
    try {
      await publishNumbers(cluster.b.url, channel, 4, 6);
      await until(() => seen.events.length === 6, 'events 4-6 from the restarted A');
      expect(seen.data()).toEqual(numbers(1, 6));
      // Told `shutdown`, then (maybe) refused while A was down: never the EventSource's own retry.
      expect(seen.errors[0]).toBe('server_shutdown');
      expect(seen.errors.slice(1).every((code) => code === 'network_error')).toBe(true);
      expect(wire.some((line) => line.startsWith('server shutting down → reconnecting in'))).toBe(
        true,
      );
    } finally {
      subscription.close();
      await restarted.stop();
    }
  });
});

describe('shutdown: message-queue', () => {
  it('keeps following a job on B when A, where it followed it, drains', async () => {
    const a = await startApi(cluster.env);
    const { channel } = await submitJob(cluster.b.url, 'report', { steps: 20, stepMs: 50 });
    const subscription = connect('message-queue', {
      baseUrl: a.url,
      fallbackUrls: [cluster.b.url],
      channel,
      ...FAST,
      shutdownJitterMs: 100,
    });
    const seen = observe(subscription);
    const wire = wireLog(subscription);
    await until(() => seen.events.some((e) => e.type === 'job.progress'), 'progress through A');
    await a.stop();
    await until(() => seen.events.some((e) => e.type === 'job.completed'), 'completion via B');

    const types = seen.events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['job.queued', 'job.started']);
    expect(types.filter((t) => t === 'job.progress')).toHaveLength(20);
    expect(types.at(-1)).toBe('job.completed');
    expect(new Set(seen.events.map((e) => e.id)).size).toBe(seen.events.length);
    expect(seen.errors).toEqual(['server_shutdown']);
    expect(wire).toContain(`failing over to ${cluster.b.url}`);
    expect(wire.some((line) => line.startsWith('server shutting down → reconnecting in'))).toBe(
      true,
    );
    subscription.close();
  });
});
