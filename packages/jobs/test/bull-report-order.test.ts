import type { JobReport, JobType, JsonValue } from '@pushpull/contracts';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { BullJobQueue, deleteBullQueues, startBullWorker } from '../src';

// BullMQ's report consumer keeps several reports in flight. What must hold anyway, with three
// workers reporting at once and two API instances consuming (one of them stopping half-way, so the
// other takes over): every job's reports reach a recorder once each, in the order they were sent.
// A reports worker at concurrency 16 broke exactly this (a `job.completed` applied before its
// `job.started`). Needs the Redis at REDIS_URL; the queues get a prefix of their own.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-order-${process.pid}-${Date.now().toString(36)}`;
const RELAY_JOBS = 400;
const REPORT_JOBS = 100;

interface Applied {
  instance: string;
  jobId: string;
  type: string;
}

/**
 * A stand-in for the API's job recorder: applies one job's reports one at a time, in call order,
 * each taking a random 0–2 ms (so anything handed over out of order lands out of order).
 */
function recorder(instance: string, applied: Applied[]) {
  const chains = new Map<string, Promise<void>>();
  return (report: JobReport): Promise<void> => {
    const next = (chains.get(report.jobId) ?? Promise.resolve())
      .then(() => sleep(Math.random() * 2))
      .then(() => void applied.push({ instance, jobId: report.jobId, type: report.type }));
    chains.set(report.jobId, next);
    return next;
  };
}

function apiQueue() {
  return new BullJobQueue({
    url: REDIS_URL,
    prefix,
    maxAttempts: 3,
    retryBaseMs: 20,
    log: () => undefined,
  });
}

describe('BullMQ report consumer', () => {
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await deleteBullQueues(REDIS_URL, prefix);
  });

  it('hands every report over once and in order, across a change of consumer', async () => {
    const applied: Applied[] = [];
    const [a, b] = [apiQueue(), apiQueue()];
    stops.push(
      () => a.close(),
      () => b.close(),
    );
    await a.consumeReports(recorder('a', applied));
    await b.consumeReports(recorder('b', applied));
    for (let n = 0; n < 3; n++) {
      const worker = await startBullWorker({
        url: REDIS_URL,
        prefix,
        concurrency: 4,
        maxAttempts: 3,
        retryBaseMs: 20,
        stalledIntervalMs: 5_000,
        log: () => undefined,
      });
      stops.push(() => worker.stop());
    }

    const expected = new Map<string, string[]>();
    const submit = async (type: JobType, input: JsonValue, story: string[]) => {
      const jobId = randomUUID();
      expected.set(jobId, story);
      await a.submit({ jobId, type, input, attempt: 1 });
    };
    await Promise.all([
      ...Array.from({ length: RELAY_JOBS }, (_, n) =>
        submit('relay', { channel: 'relayed', type: 'n', data: n }, [
          'job.started',
          'job.completed',
        ]),
      ),
      ...Array.from({ length: REPORT_JOBS }, () =>
        submit('report', { steps: 2, stepMs: 1 }, [
          'job.started',
          'job.progress',
          'job.progress',
          'job.completed',
        ]),
      ),
    ]);
    const total = [...expected.values()].reduce((sum, story) => sum + story.length, 0);

    // Half-way, the instance that is consuming stops; the other has to take over.
    while (applied.length < total / 2) await sleep(10);
    const first = applied.at(-1)!.instance;
    await (first === 'a' ? a : b).close();
    const deadline = Date.now() + 60_000;
    while (applied.length < total && Date.now() < deadline) await sleep(50);
    await sleep(200); // anything applied twice would show up now

    const stories = new Map<string, string[]>();
    for (const { jobId, type } of applied)
      stories.set(jobId, [...(stories.get(jobId) ?? []), type]);
    const wrong = [...expected].filter(
      ([jobId, story]) => JSON.stringify(stories.get(jobId)) !== JSON.stringify(story),
    );
    expect(wrong.map(([jobId]) => ({ jobId, got: stories.get(jobId) }))).toEqual([]);
    expect(applied).toHaveLength(total);
    expect(new Set(applied.map((r) => r.instance))).toEqual(new Set(['a', 'b']));
  }, 90_000);
});
