import { JobMessageSchema, type JobReport } from '@pushpull/contracts';
import { Queue, WaitingError, Worker } from 'bullmq';
import { WorkerStoppingError, runAttempt, stoppableSleep } from '../run-attempt';
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
 * letter; this reports each step on the reports queue before the attempt settles. A stopping
 * worker hands its running jobs back to the wait list at once, as they were (the attempt is not
 * counted); one killed mid-job loses its lock, and BullMQ hands the job to another worker after
 * `stalledIntervalMs`.
 */
export async function startBullWorker(
  options: BullWorkerOptions,
): Promise<{ stop(): Promise<void> }> {
  const names = bullQueueNames(options.prefix);
  const reports = new Queue(names.reports, { connection: bullConnection(options.url) });
  const { sleep, stop: stopSleeping } = stoppableSleep();

  const worker = new Worker(
    names.jobs,
    async (bullJob, token) => {
      const job = JobMessageSchema.parse({ ...bullJob.data, attempt: bullJob.attemptsMade + 1 });
      const sent: Array<Promise<unknown>> = [];
      const report = (r: JobReport) =>
        sent.push(reports.add(r.type, r, { removeOnComplete: true }));
      const outcome = await runAttempt(
        job,
        { maxAttempts: options.maxAttempts, retryBaseMs: options.retryBaseMs, sleep },
        report,
      ).catch(async (error: unknown) => {
        if (!(error instanceof WorkerStoppingError)) throw error;
        await Promise.all(sent);
        // Back to the head of the wait list for another worker, without spending an attempt.
        // Should that fail (Redis away), the lock runs out and the stalled check returns it.
        await bullJob
          .moveToWait(token)
          .catch((cause: unknown) =>
            options.log(`job ${job.jobId}: not handed back: ${String(cause)}`),
          );
        throw new WaitingError();
      });
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
      // Closing first, so the loop takes no new job once the running ones are handed back.
      const closed = worker.close();
      stopSleeping();
      await closed;
      await reports.close();
    },
  };
}
