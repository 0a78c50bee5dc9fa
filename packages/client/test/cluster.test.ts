import { startApi } from '@pushpull/api/testing';
import { MECHANISM_IDS, type MechanismId } from '@pushpull/contracts';
import { describe, expect, it } from 'vitest';
import { connect, submitJob } from '../src';
import { FAST, freshChannel, numbers, observe, publishNumbers, until } from './support';
import { twoInstances } from './two-instances';

// Two API instances on the Redis backplane (the real Redis, keys under a prefix of this run's
// own). A subscriber on A receives what is published on B; when A dies, the client fails over to
// B and resumes from its last id there, with nothing lost and nothing doubled.
const cluster = twoInstances('cluster');

describe.each(MECHANISM_IDS.filter((m) => m !== 'message-queue'))('cluster: %s', (mechanism) => {
  it('gets on A what B publishes, then fails over to B when A dies, losing nothing', async () => {
    const a = await startApi(cluster.env);
    const channel = freshChannel();
    const subscription = connect(mechanism as MechanismId, {
      baseUrl: a.url,
      fallbackUrls: [cluster.b.url],
      channel,
      ...FAST,
    });
    const seen = observe(subscription);
    await until(() => subscription.status === 'open', 'open on A');
    await publishNumbers(cluster.b.url, channel, 1, 5);
    await until(() => seen.events.length === 5, 'events 1-5 through A');

    await a.kill();
    await publishNumbers(cluster.b.url, channel, 6, 10);
    await until(() => seen.events.length === 10, 'events 6-10 after failing over to B');
    // Exactly once, in order, as the application sees it. (Delivery is at-least-once with ids: a
    // socket.io subscribe racing a publish may send an id twice, and the client drops the repeat.)
    expect(seen.data()).toEqual(numbers(1, 10));
    expect(seen.resets).toEqual([]);
    subscription.close();
  });
});

describe('cluster: message-queue', () => {
  it('follows on A a job submitted to B, and keeps following it on B when A dies', async () => {
    const a = await startApi(cluster.env);
    const { channel } = await submitJob(cluster.b.url, 'report', { steps: 20, stepMs: 50 });
    const subscription = connect('message-queue', {
      baseUrl: a.url,
      fallbackUrls: [cluster.b.url],
      channel,
      ...FAST,
    });
    const seen = observe(subscription);
    await until(() => seen.events.some((e) => e.type === 'job.progress'), 'progress through A');
    await a.kill();
    await until(() => seen.events.some((e) => e.type === 'job.completed'), 'completion via B');

    const types = seen.events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['job.queued', 'job.started']);
    expect(types.filter((t) => t === 'job.progress')).toHaveLength(20);
    expect(types.at(-1)).toBe('job.completed');
    expect(new Set(seen.events.map((e) => e.id)).size).toBe(seen.events.length);
    subscription.close();
  });
});
