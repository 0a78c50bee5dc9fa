import { JobAcceptedSchema, PageSchema, type ChannelEvent } from '@pushpull/contracts';
import { deleteBullQueues, deleteRabbitQueues } from '@pushpull/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteBackplaneKeys,
  startApi,
  startWorker,
  type RunningApi,
  type RunningWorker,
} from '../src/testing/start-api';
import { eventually, range } from './support/http';
import { AMQP_URL, REDIS_URL } from './support/servers';

// Two API instances on the Redis backplane share one broker and two workers. Every report reaches
// exactly one instance (a shared queue, one active consumer at a time), so each job's channel tells
// its story once and in order whichever instance took the job — and a relay publishes once.
const RETRY_BASE_MS = 20;

describe.each(['rabbitmq', 'bullmq'] as const)('two API instances on %s', (queue) => {
  const prefix = `test-cluster-${queue}-${process.pid}-${Date.now().toString(36)}`;
  const env = {
    BACKPLANE: 'redis',
    BACKPLANE_PREFIX: prefix,
    REDIS_URL,
    QUEUE: queue,
    QUEUE_PREFIX: prefix,
    AMQP_URL,
    RETRY_BASE_MS: String(RETRY_BASE_MS),
    STALLED_INTERVAL_MS: '1000',
  };
  let apis: RunningApi[] = [];
  let workers: RunningWorker[] = [];

  beforeAll(async () => {
    apis = await Promise.all([startApi(env), startApi(env)]);
    workers = await Promise.all([startWorker(env), startWorker(env)]);
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await Promise.all(apis.map((api) => api.stop()));
    if (queue === 'rabbitmq') await deleteRabbitQueues(AMQP_URL, prefix, [RETRY_BASE_MS]);
    else await deleteBullQueues(REDIS_URL, prefix);
    await deleteBackplaneKeys(REDIS_URL, prefix);
  });

  async function submit(via: RunningApi, input: unknown) {
    const response = await fetch(`${via.url}/api/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'relay', input }),
    });
    expect(response.status).toBe(202);
    return JobAcceptedSchema.parse(await response.json());
  }
  async function events(via: RunningApi, channel: string): Promise<ChannelEvent[]> {
    const response = await fetch(`${via.url}/api/poll/${channel}?limit=1000`);
    return PageSchema.parse(await response.json()).events;
  }

  it('appends each job event once, in order, whichever instance took the job', async () => {
    const target = `relayed-${queue}-${process.pid}`;
    const jobs = await Promise.all(
      range(1, 60).map((n) => submit(apis[n % 2]!, { channel: target, type: 'n', data: n })),
    );
    const [a, b] = apis as [RunningApi, RunningApi];
    await eventually(
      () => events(b, target),
      (relayed) => relayed.length >= 60,
      '60 relayed events',
    );
    for (const { channel } of jobs) {
      // Read through the other instance too: the channel is the same everywhere.
      const story = await eventually(
        () => events(a, channel),
        (e) => e.some((event) => event.type === 'job.completed'),
        `${channel} completed`,
      );
      expect(story.map((e) => e.type)).toEqual(['job.queued', 'job.started', 'job.completed']);
      expect(await events(b, channel)).toEqual(story);
    }
    const relayed = await events(a, target);
    expect(relayed.map((e) => e.data).sort((x, y) => Number(x) - Number(y))).toEqual(range(1, 60));
  });
});
