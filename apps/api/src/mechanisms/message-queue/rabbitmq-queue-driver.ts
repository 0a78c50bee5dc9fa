import { Logger } from '@nestjs/common';
import type { JobMessage, JobReport } from '@pushpull/contracts';
import { RabbitJobQueue } from '@pushpull/jobs';
import { QueueDriver } from './queue-driver';

/**
 * RabbitMQ: durable queues, persistent confirmed messages, manual acks; workers are separate
 * processes (apps/worker). Reports come back on a shared queue, so with several API instances
 * each is recorded once. Topology and reconnects live in @pushpull/jobs, shared with the worker.
 */
export class RabbitMqQueueDriver extends QueueDriver {
  private readonly logger = new Logger('RabbitMqQueueDriver');
  private readonly queue: RabbitJobQueue;

  constructor(url: string, prefix: string) {
    super();
    this.queue = new RabbitJobQueue(url, prefix, (message) => this.logger.warn(message));
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
