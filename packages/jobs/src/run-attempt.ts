import type { JobEvent, JobMessage, JobReport } from '@pushpull/contracts';
import { setTimeout as delay } from 'node:timers/promises';
import { runJob } from './job-handlers';
import { retryDelayMs, shouldRetry } from './retry-policy';

export interface AttemptOptions {
  maxAttempts: number;
  retryBaseMs: number;
  /** Resolves after `ms`; rejects when the worker stops (so a stopping worker leaves the job unacked). */
  sleep(ms: number): Promise<void>;
}

/** Thrown by `sleep` when the worker stops: the attempt is abandoned unreported, and unacked. */
export class WorkerStoppingError extends Error {
  constructor() {
    super('The worker is stopping');
  }
}

/**
 * The `sleep` a broker worker gives its jobs, and the switch that stops it: on `stop()` a pending
 * sleep and every later one reject with WorkerStoppingError, so a job between steps is abandoned at
 * once instead of after its step (a `report` step may be longer than SHUTDOWN_TIMEOUT_MS).
 */
export function stoppableSleep(): { sleep(ms: number): Promise<void>; stop(): void } {
  const stopping = new AbortController();
  return {
    sleep: (ms) =>
      delay(ms, undefined, { signal: stopping.signal }).catch((error: unknown) => {
        throw stopping.signal.aborted ? new WorkerStoppingError() : error;
      }),
    stop: () => stopping.abort(),
  };
}

/** What the queue does next with the message: the driver acks, schedules the retry, or dead-letters. */
export type AttemptOutcome =
  { next: 'done' } | { next: 'retry'; delayMs: number } | { next: 'dead-letter' };

/**
 * Runs one attempt of a job and reports every step (`job.started`, `job.progress`, then
 * `job.completed` or `job.failed` followed by `job.retrying` or `job.dead-lettered`). The same for
 * every driver; only how a retry is scheduled and a dead letter stored differs.
 */
export async function runAttempt(
  job: JobMessage,
  options: AttemptOptions,
  report: (report: JobReport) => void,
): Promise<AttemptOutcome> {
  const send = (event: JobEvent, extra: Pick<JobReport, 'relay'> = {}) =>
    report({ jobId: job.jobId, ...event, ...extra });

  send({ type: 'job.started', data: { attempt: job.attempt, type: job.type } });
  try {
    const outcome = await runJob(job.type, job.input, {
      jobId: job.jobId,
      attempt: job.attempt,
      progress: (percent) =>
        send({ type: 'job.progress', data: { attempt: job.attempt, percent } }),
      sleep: options.sleep,
    });
    send(
      { type: 'job.completed', data: { attempt: job.attempt, result: outcome.result } },
      outcome.relay ? { relay: outcome.relay } : {},
    );
    return { next: 'done' };
  } catch (failure) {
    // Stopping is not the job's failure: the broker redelivers the unacked message elsewhere.
    if (failure instanceof WorkerStoppingError) throw failure;
    const error = failure instanceof Error ? failure.message : String(failure);
    send({ type: 'job.failed', data: { attempt: job.attempt, error } });
    if (shouldRetry(job.attempt, options.maxAttempts)) {
      const delayMs = retryDelayMs(job.attempt, options.retryBaseMs);
      send({ type: 'job.retrying', data: { attempt: job.attempt + 1, delayMs, error } });
      return { next: 'retry', delayMs };
    }
    send({ type: 'job.dead-lettered', data: { attempts: job.attempt, error } });
    return { next: 'dead-letter' };
  }
}
