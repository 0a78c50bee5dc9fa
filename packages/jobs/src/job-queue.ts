import type { JobMessage, JobReport } from '@pushpull/contracts';

/**
 * The port every queue driver implements (memory in the API; RabbitMQ and BullMQ here): put a job
 * on the queue, and hand the API each report workers send back — through the broker itself, so
 * the queue works on any backplane, and consumed once per cluster (a shared queue, not a fan-out).
 * An abstract class rather than an interface so the API can inject it by this name.
 */
export abstract class JobQueue {
  abstract submit(job: JobMessage): Promise<void>;
  abstract consumeReports(onReport: (report: JobReport) => Promise<void>): Promise<void>;
  abstract close(): Promise<void>;
}
