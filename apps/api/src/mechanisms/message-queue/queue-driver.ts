import type { JobMessage, JobReport } from '@pushpull/contracts';

/**
 * The port every queue driver implements: put a job on the queue, and hand the API each report
 * workers send back — through the broker itself, so the queue works on any backplane, and
 * consumed once per cluster (a shared queue, not a fan-out).
 */
export abstract class QueueDriver {
  abstract submit(job: JobMessage): Promise<void>;
  abstract consumeReports(onReport: (report: JobReport) => Promise<void>): Promise<void>;
  abstract close(): Promise<void>;
}
