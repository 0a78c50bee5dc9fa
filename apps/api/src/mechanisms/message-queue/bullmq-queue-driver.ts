import { Logger } from '@nestjs/common';
import type { JobMessage, JobReport } from '@pushpull/contracts';
import { BullJobQueue } from '@pushpull/jobs';
import { QueueDriver } from './queue-driver';

/**
 * BullMQ on Redis: attempts with exponential backoff, the failed set as the dead letter, stalled
 * jobs returned to the queue. Workers are separate processes (apps/worker). Without Redis
 * persistence a Redis restart loses queued jobs; durability across restarts is RabbitMQ's.
 */
export class BullMqQueueDriver extends QueueDriver {
  private readonly logger = new Logger('BullMqQueueDriver');
  private readonly queue: BullJobQueue;

  constructor(url: string, prefix: string, maxAttempts: number, retryBaseMs: number) {
    super();
    this.queue = new BullJobQueue({
      url,
      prefix,
      maxAttempts,
      retryBaseMs,
      log: (message) => this.logger.warn(message),
    });
  }

  submit(job: JobMessage): Promise<void> {
    return this.queue.submit(job);
  }

  consumeReports(onReport: (report: JobReport) => Promise<void>): Promise<void> {
    return this.queue.consumeReports(onReport);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
