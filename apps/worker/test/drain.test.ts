import type { JobReport } from '@pushpull/contracts';
import {
  BullJobQueue,
  RabbitJobQueue,
  deleteBullQueues,
  deleteRabbitQueues,
  type JobQueue,
} from '@pushpull/jobs';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from './support/start-worker';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const AMQP_URL = process.env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
const RETRY_BASE_MS = 20;
const SHUTDOWN_TIMEOUT_MS = 3000;
/** A job longer than the drain may last: it can only survive by going back to the broker. */
const LONG_JOB = { steps: 6, stepMs: 1000 };
const SHORT_JOB = { steps: 2, stepMs: 50 };

async function eventually<T>(probe: () => T, accept: (value: T) => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// DESIGN.md, "Leaving without dropping anyone": on SIGTERM the worker stops taking jobs, its
// unacknowledged ones go back to the broker, and it exits 0 within SHUTDOWN_TIMEOUT_MS. Watched from
// the API's side of the queue (the jobs package), with a second worker to finish what was handed back.
describe.each(['rabbitmq', 'bullmq'] as const)('worker drain on SIGTERM, QUEUE=%s', (queue) => {
  const prefix = `test-worker-drain-${queue}-${process.pid}-${Date.now().toString(36)}`;
  const env = {
    QUEUE: queue,
    QUEUE_PREFIX: prefix,
    AMQP_URL,
    REDIS_URL,
    MAX_ATTEMPTS: '3',
    RETRY_BASE_MS: String(RETRY_BASE_MS),
    WORKER_CONCURRENCY: '1',
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    // The default: a job handed back only by BullMQ's stalled check would come back too late here.
    STALLED_INTERVAL_MS: '30000',
  };
  const log = (message: string) => console.error(`[queue] ${message}`);
  const reports: JobReport[] = [];
  const workers: RunningWorker[] = [];
  let jobs: JobQueue;

  beforeAll(async () => {
    jobs =
      queue === 'rabbitmq'
        ? new RabbitJobQueue(AMQP_URL, prefix, log)
        : new BullJobQueue({
            url: REDIS_URL,
            prefix,
            maxAttempts: 3,
            retryBaseMs: RETRY_BASE_MS,
            log,
          });
    await jobs.consumeReports(async (report) => {
      reports.push(report);
    });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await jobs.close();
    if (queue === 'rabbitmq') await deleteRabbitQueues(AMQP_URL, prefix, [RETRY_BASE_MS]);
    else await deleteBullQueues(REDIS_URL, prefix);
  });

  async function submit(input: typeof LONG_JOB): Promise<string> {
    const jobId = randomUUID();
    await jobs.submit({ jobId, type: 'report', input, attempt: 1 });
    return jobId;
  }
  const reportsOf = (jobId: string) => reports.filter((r) => r.jobId === jobId);
  const count = (jobId: string, type: JobReport['type']) =>
    reportsOf(jobId).filter((r) => r.type === type).length;

  it('hands a running job back, takes no new one, exits 0; each job completes once', async () => {
    const draining = await startWorker(env);
    workers.push(draining);
    const running = await submit(LONG_JOB);
    await eventually(
      () => count(running, 'job.started'),
      (n) => n === 1,
      'the long job to start',
    );
    // Waiting while the only slot is busy: when the drain frees the slot, the broker offers it.
    const waiting = await submit(SHORT_JOB);

    draining.signal('SIGTERM');
    const signalledAt = performance.now();
    // Submitted while the worker drains.
    const late = await submit(SHORT_JOB);
    const exitCode = await draining.exited;
    const msToExit = performance.now() - signalledAt;
    expect(exitCode, draining.output()).toBe(0);
    // Exit 0 is itself "in time": past SHUTDOWN_TIMEOUT_MS the worker exits 1.
    // Nothing finished on the draining worker: the long job could not, the others were not taken.
    expect([running, waiting, late].map((id) => count(id, 'job.completed'))).toEqual([0, 0, 0]);
    expect([waiting, late].map((id) => count(id, 'job.started'))).toEqual([0, 0]);

    workers.push(await startWorker(env));
    await eventually(
      () => [running, waiting, late].map((id) => count(id, 'job.completed')),
      (done) => done.every((n) => n >= 1),
      'every job to complete on the second worker',
    );
    // Room for a stray second run to report.
    await new Promise((resolve) => setTimeout(resolve, 500));
    console.warn(
      `worker drain (${queue}): exit ${exitCode} after ${msToExit.toFixed(0)} ms; long job started ` +
        `${count(running, 'job.started')} times, completed ${count(running, 'job.completed')}`,
    );

    for (const id of [running, waiting, late]) {
      expect(count(id, 'job.completed'), id).toBe(1);
      expect(count(id, 'job.failed'), id).toBe(0);
      expect(reportsOf(id).at(-1)?.type, id).toBe('job.completed');
    }
    // The long job ran twice, both times as attempt 1: handing it back is not a failed attempt.
    expect(
      reportsOf(running)
        .filter((r) => r.type === 'job.started')
        .map((r) => r.data.attempt),
    ).toEqual([1, 1]);
    expect([waiting, late].map((id) => count(id, 'job.started'))).toEqual([1, 1]);
  });
});
