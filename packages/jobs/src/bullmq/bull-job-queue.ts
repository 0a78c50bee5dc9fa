import { JobReportSchema, type JobMessage, type JobReport } from '@pushpull/contracts';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobQueue } from '../job-queue';
import { bullConnection, bullQueueNames } from './bull-names';

export interface BullJobQueueOptions {
  url: string;
  prefix: string;
  maxAttempts: number;
  retryBaseMs: number;
  log(message: string): void;
}

/**
 * The API's side of BullMQ: add jobs with attempts and exponential backoff (BullMQ's delay for
 * attempt n is base·2^(n-1), the same as the reports say), and consume the workers' reports from
 * a second queue — one report at a time across all API instances (a global concurrency of 1),
 * so they are applied in the order workers sent them, each by one instance.
 */
export class BullJobQueue extends JobQueue {
  private readonly connection: Redis;
  private readonly jobs: Queue;
  private reports: Worker | undefined;

  constructor(private readonly options: BullJobQueueOptions) {
    super();
    this.connection = bullConnection(options.url);
    this.jobs = new Queue(bullQueueNames(options.prefix).jobs, { connection: this.connection });
  }

  async submit(job: JobMessage): Promise<void> {
    await this.jobs.add(job.type, job, {
      jobId: job.jobId,
      attempts: this.options.maxAttempts,
      backoff: { type: 'exponential', delay: this.options.retryBaseMs },
      removeOnComplete: true,
      removeOnFail: false, // the failed set is the dead letter
    });
  }

  async consumeReports(onReport: (report: JobReport) => Promise<void>): Promise<void> {
    const reports = new Queue(bullQueueNames(this.options.prefix).reports, {
      connection: this.connection,
    });
    // Per-worker concurrency 1 is not enough with two API instances: each would take the next
    // report of the same job at once, and their appends could land out of order.
    await reports.setGlobalConcurrency(1);
    await reports.close();
    this.reports = new Worker(
      bullQueueNames(this.options.prefix).reports,
      async (job) => {
        const parsed = JobReportSchema.safeParse(job.data);
        if (parsed.success) await onReport(parsed.data);
        else this.options.log(`dropping a report that is not one: ${parsed.error.message}`);
      },
      {
        connection: bullConnection(this.options.url),
        concurrency: 1,
        removeOnComplete: { count: 0 },
      },
    );
    this.reports.on('error', (error) => this.options.log(`BullMQ reports: ${error.message}`));
  }

  async close(): Promise<void> {
    await this.reports?.close();
    await this.jobs.close();
    this.connection.disconnect();
  }
}
