import { JobReportSchema, type JobMessage, type JobReport } from '@pushpull/contracts';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobQueue } from '../job-queue';
import { bullConnection, bullQueueNames } from './bull-names';
import { OrderedConsumer } from './ordered-consumer';

// Reports fetched ahead of the one being applied: enough to overlap the Redis round trips, few
// enough that a stop settles them quickly.
const REPORTS_IN_FLIGHT = 32;

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
 * a second queue in the order workers sent them, by one instance at a time, with several reports
 * in flight (see OrderedConsumer).
 */
export class BullJobQueue extends JobQueue {
  private readonly connection: Redis;
  private readonly jobs: Queue;
  private reports: OrderedConsumer | undefined;

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
    this.reports = new OrderedConsumer({
      url: this.options.url,
      queue: bullQueueNames(this.options.prefix).reports,
      maxInFlight: REPORTS_IN_FLIGHT,
      log: this.options.log,
    });
    await this.reports.start(async (data) => {
      const parsed = JobReportSchema.safeParse(data);
      if (parsed.success) await onReport(parsed.data);
      else this.options.log(`dropping a report that is not one: ${parsed.error.message}`);
    });
  }

  async close(): Promise<void> {
    await this.reports?.close();
    await this.jobs.close();
    this.connection.disconnect();
  }
}
