import { JobMessageSchema, type JobReport } from '@pushpull/contracts';
import { Queue, Worker } from 'bullmq';
import { runAttempt } from '../run-attempt';
import { bullConnection, bullQueueNames } from './bull-names';

export interface BullWorkerOptions {
  url: string;
  prefix: string;
  concurrency: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** How often BullMQ looks for jobs whose worker died (their lock expired), and the lock's life. */
  stalledIntervalMs: number;
  log(message: string): void;
}

/**
 * A worker on BullMQ (Redis): BullMQ runs the retry schedule and keeps the failed set as the dead
 * letter; this reports each step on the reports queue before the attempt settles. A worker killed
 * mid-job loses its lock, and BullMQ hands the job to another worker after `stalledIntervalMs`.
 */
export async function startBullWorker(
  options: BullWorkerOptions,
): Promise<{ stop(): Promise<void> }> {
  const names = bullQueueNames(options.prefix);
  const reports = new Queue(names.reports, { connection: bullConnection(options.url) });
  // No early exit on stop: `worker.close()` lets running jobs finish, and an attempt cut short
  // here would count as a failed one.
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  const worker = new Worker(
    names.jobs,
    async (bullJob) => {
      const job = JobMessageSchema.parse({ ...bullJob.data, attempt: bullJob.attemptsMade + 1 });
      const sent: Array<Promise<unknown>> = [];
      const report = (r: JobReport) =>
        sent.push(reports.add(r.type, r, { removeOnComplete: true }));
      const outcome = await runAttempt(
        job,
        { maxAttempts: options.maxAttempts, retryBaseMs: options.retryBaseMs, sleep },
        report,
      );
      await Promise.all(sent);
      // Throwing hands the attempt back to BullMQ: it retries with backoff, or moves the job to
      // the failed set (the dead letter) once the attempts are used up.
      if (outcome.next !== 'done') throw new Error('attempt failed');
    },
    {
      connection: bullConnection(options.url),
      concurrency: options.concurrency,
      stalledInterval: options.stalledIntervalMs,
      lockDuration: options.stalledIntervalMs,
    },
  );
  worker.on('error', (error) => options.log(`BullMQ: ${error.message}`));
  await worker.waitUntilReady();
  return {
    async stop() {
      await worker.close();
      await reports.close();
    },
  };
}
