import type { JobMessage, JobReport } from '@pushpull/contracts';
import { QueueDriver } from './queue-driver';

/** What @pushpull/jobs offers the API for each broker (RabbitJobQueue, BullJobQueue). */
export interface BrokerJobQueue {
  submit(job: JobMessage): Promise<void>;
  consumeReports(onReport: (report: JobReport) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/**
 * RabbitMQ or BullMQ behind the port. The broker specifics (topology, acks, retries, reconnects)
 * live in @pushpull/jobs, shared with apps/worker; workers run as separate processes.
 */
export class BrokerQueueDriver extends QueueDriver {
  constructor(private readonly broker: BrokerJobQueue) {
    super();
  }

  submit(job: JobMessage): Promise<void> {
    return this.broker.submit(job);
  }

  consumeReports(onReport: (report: JobReport) => Promise<void>): Promise<void> {
    return this.broker.consumeReports(onReport);
  }

  close(): Promise<void> {
    return this.broker.close();
  }
}
