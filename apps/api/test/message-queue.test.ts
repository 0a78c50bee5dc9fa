import {
  JobAcceptedSchema,
  JobEventSchema,
  JobStatusSchema,
  PageSchema,
  type ChannelEvent,
  type JobEvent,
  type JobStatus,
} from '@pushpull/contracts';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteBullQueues, deleteRabbitQueues } from '@pushpull/jobs';
import {
  startApi,
  startWorker,
  type RunningApi,
  type RunningWorker,
} from '../src/testing/start-api';
import { eventually, range } from './support/http';
import { AMQP_URL, REDIS_URL } from './support/servers';

// The queue driver conformance suite: every driver keeps the same promises against its real
// server. RabbitMQ runs with two separate worker processes, on queues of its own prefix.
const MAX_ATTEMPTS = 3;
const RETRY_BASE_MS = 20;
const COMMON = {
  MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  RETRY_BASE_MS: String(RETRY_BASE_MS),
  WORKER_CONCURRENCY: '2',
  // 500 submits at once from one client: the write limit has its own suite (write-rate.test.ts).
  WRITE_RATE_PER_S: '0',
};
const RETRY_DELAYS = [1, 2, 4, 8].map((factor) => factor * RETRY_BASE_MS);

interface Rig {
  api: RunningApi;
  workers: RunningWorker[];
  env: Record<string, string>;
  stop(): Promise<void>;
}

const DRIVERS: Array<{ name: string; broker: boolean; start(): Promise<Rig> }> = [
  {
    name: 'memory',
    broker: false,
    async start() {
      const env = { ...COMMON, QUEUE: 'memory' };
      const api = await startApi(env);
      return { api, workers: [], env, stop: () => api.stop() };
    },
  },
  {
    name: 'rabbitmq',
    broker: true,
    async start() {
      const prefix = `test-${process.pid}-${Date.now().toString(36)}`;
      const env = { ...COMMON, QUEUE: 'rabbitmq', QUEUE_PREFIX: prefix, AMQP_URL };
      const rig: Rig = { api: await startApi(env), workers: [], env, stop: async () => undefined };
      rig.workers = await Promise.all([startWorker(env), startWorker(env)]);
      rig.stop = async () => {
        await Promise.all(rig.workers.map((worker) => worker.stop()));
        await rig.api.stop();
        await deleteRabbitQueues(AMQP_URL, prefix, RETRY_DELAYS);
      };
      return rig;
    },
  },
  {
    name: 'bullmq',
    broker: true,
    async start() {
      const prefix = `test-${process.pid}-${Date.now().toString(36)}`;
      const env = {
        ...COMMON,
        QUEUE: 'bullmq',
        QUEUE_PREFIX: prefix,
        REDIS_URL,
        STALLED_INTERVAL_MS: '1000',
      };
      const rig: Rig = { api: await startApi(env), workers: [], env, stop: async () => undefined };
      rig.workers = await Promise.all([startWorker(env), startWorker(env)]);
      rig.stop = async () => {
        await Promise.all(rig.workers.map((worker) => worker.stop()));
        await rig.api.stop();
        await deleteBullQueues(REDIS_URL, prefix);
      };
      return rig;
    },
  },
];

let rig: Rig;
let api: RunningApi;

async function submit(type: string, input?: unknown) {
  const response = await fetch(`${api.url}/api/jobs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(input === undefined ? { type } : { type, input }),
  });
  expect(response.status).toBe(202);
  return JobAcceptedSchema.parse(await response.json());
}
async function status(jobId: string): Promise<JobStatus | undefined> {
  const response = await fetch(`${api.url}/api/jobs/${jobId}`);
  // 404 until the first report reaches an API that restarted on the memory backplane.
  return response.status === 404 ? undefined : JobStatusSchema.parse(await response.json());
}
async function settled(jobId: string): Promise<JobStatus | undefined> {
  return eventually(
    () => status(jobId),
    (s) => s?.state === 'completed' || s?.state === 'dead-lettered',
    `job ${jobId}`,
  );
}
async function channelEvents(channel: string): Promise<ChannelEvent[]> {
  return PageSchema.parse(await (await fetch(`${api.url}/api/poll/${channel}?limit=1000`)).json())
    .events;
}
const typesOf = (events: ChannelEvent[]) => events.map((e) => e.type);
/** A job channel's events as the contract's job events: `type` narrows `data`. */
async function jobEvents(channel: string): Promise<JobEvent[]> {
  return (await channelEvents(channel)).map((event) => JobEventSchema.parse(event));
}

describe('POST /api/jobs', () => {
  beforeAll(async () => {
    rig = await DRIVERS[0]!.start();
    api = rig.api;
  });
  afterAll(() => rig.stop());

  it('answers 202 with the job id and the channel to follow', async () => {
    const accepted = await submit('report', { steps: 2, stepMs: 0 });
    expect(accepted.channel).toBe(`job:${accepted.jobId}`);
  });

  it.each([
    [{ type: 'nope' }, 400, 'unknown_job_type'],
    [{ type: 'report', input: { steps: 0 } }, 400, 'invalid_body'],
    [{ type: 'relay', input: { channel: 'job:x', type: 't', data: 1 } }, 400, 'invalid_body'],
    [{ input: {} }, 400, 'invalid_body'],
  ])('refuses %j with %i %s', async (body, statusCode, code) => {
    const response = await fetch(`${api.url}/api/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(statusCode);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await fetch(`${api.url}/api/jobs`, { method: 'POST', body: 'type=report' });
    expect(response.status).toBe(415);
  });

  it('answers an unknown job id with 404 not_found', async () => {
    for (const id of ['nope', '00000000-0000-4000-8000-000000000000']) {
      const response = await fetch(`${api.url}/api/jobs/${id}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});

describe.each(DRIVERS)('queue driver: $name', (driver) => {
  beforeAll(async () => {
    rig = await driver.start();
    api = rig.api;
  }, 60_000);
  afterAll(() => rig.stop());

  it('runs a report job to completion once, with progress up to 100', async () => {
    const { jobId, channel } = await submit('report', { steps: 4, stepMs: 5 });
    expect(await settled(jobId)).toMatchObject({ state: 'completed', attempt: 1, percent: 100 });
    const events = await channelEvents(channel);
    expect(typesOf(events)).toEqual([
      'job.queued',
      'job.started',
      ...range(1, 4).map(() => 'job.progress'),
      'job.completed',
    ]);
    const progress = (await jobEvents(channel)).flatMap((e) =>
      e.type === 'job.progress' ? [e.data.percent] : [],
    );
    expect(progress).toEqual([25, 50, 75, 100]);
  });

  it('retries a flaky job with growing delays, then completes it', async () => {
    const { jobId, channel } = await submit('flaky', { failures: 2 });
    expect(await settled(jobId)).toMatchObject({
      state: 'completed',
      attempt: 3,
      result: { succeededOnAttempt: 3 },
    });
    const delays = (await jobEvents(channel)).flatMap((e) =>
      e.type === 'job.retrying' ? [e.data.delayMs] : [],
    );
    expect(delays).toHaveLength(2);
    expect(delays[1]).toBeGreaterThan(delays[0]!);
  });

  it('dead-letters a poison job after MAX_ATTEMPTS', async () => {
    const { jobId, channel } = await submit('poison');
    expect(await settled(jobId)).toMatchObject({ state: 'dead-lettered', attempt: MAX_ATTEMPTS });
    const events = await channelEvents(channel);
    expect(events.filter((e) => e.type === 'job.started')).toHaveLength(MAX_ATTEMPTS);
    expect(events.filter((e) => e.type === 'job.dead-lettered')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ attempts: MAX_ATTEMPTS }) }),
    ]);
    expect(events.some((e) => e.type === 'job.completed')).toBe(false);
  });

  it('completes each of 500 jobs exactly once', async () => {
    const jobs = await Promise.all(
      range(1, 500).map(() => submit('report', { steps: 1, stepMs: 0 })),
    );
    for (const { jobId } of jobs) await settled(jobId);
    const completions = await Promise.all(
      jobs.map(
        async ({ channel }) =>
          (await channelEvents(channel)).filter((e) => e.type === 'job.completed').length,
      ),
    );
    expect(completions.every((n) => n === 1)).toBe(true);
  });

  it('relays its input to the target channel once', async () => {
    const { jobId } = await submit('relay', {
      channel: 'mq-relayed',
      type: 'message',
      data: { text: 'via the queue' },
    });
    await settled(jobId);
    expect((await channelEvents('mq-relayed')).map((e) => e.data)).toEqual([
      { text: 'via the queue' },
    ]);
  });

  it('lets a browser follow the job channel over SSE from the start', async () => {
    const { jobId, channel } = await submit('report', { steps: 2, stepMs: 20 });
    const source = new EventSource(`${api.url}/api/sse/${channel}`);
    const seen: string[] = [];
    source.onmessage = (message) => seen.push((JSON.parse(message.data) as ChannelEvent).type);
    try {
      await eventually(
        () => seen,
        (types) => types.includes('job.completed'),
        'completion over SSE',
      );
      expect(seen).toEqual([
        'job.queued',
        'job.started',
        'job.progress',
        'job.progress',
        'job.completed',
      ]);
      expect((await status(jobId))?.state).toBe('completed');
    } finally {
      source.close();
    }
  });

  // Only a broker outlives a worker process; the memory driver's workers die with the API.
  if (driver.broker) {
    it('redelivers a job whose worker was killed mid-job; the channel carries one completion', async () => {
      const { jobId, channel } = await submit('report', { steps: 10, stepMs: 150 });
      await eventually(
        () => status(jobId),
        (s) => s?.state === 'running' && s.percent > 0,
        'the job to be running',
      );
      await Promise.all(rig.workers.map((worker) => worker.kill('SIGKILL')));
      rig.workers = [await startWorker(rig.env)];
      expect(await settled(jobId)).toMatchObject({ state: 'completed', percent: 100 });
      const events = await channelEvents(channel);
      expect(events.filter((e) => e.type === 'job.completed')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'job.started')).toHaveLength(1);
    });

    it('loses no queued job when the API restarts', async () => {
      const target = `mq-restart-${driver.name}`;
      await Promise.all(rig.workers.map((worker) => worker.stop()));
      rig.workers = [];
      const jobs = [];
      for (const n of range(1, 5))
        jobs.push(await submit('relay', { channel: target, type: 'n', data: n }));
      await rig.api.stop(); // the jobs wait in the broker, not in the API
      rig.api = api = await startApi(rig.env);
      rig.workers = [await startWorker(rig.env)];
      for (const { jobId } of jobs)
        expect(await settled(jobId)).toMatchObject({ state: 'completed' });
      const relayed = (await channelEvents(target)).map((e) => e.data);
      expect([...relayed].sort()).toEqual([1, 2, 3, 4, 5]);
    });
  }
});
