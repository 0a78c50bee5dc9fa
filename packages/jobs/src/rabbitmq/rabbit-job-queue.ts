import { JobReportSchema, type JobMessage, type JobReport } from '@pushpull/contracts';
import { JobQueue } from '../job-queue';
import { openRabbit, type RabbitLink } from './rabbit-connection';
import { queueNames, type QueueNames } from './topology';

/**
 * The API's side of RabbitMQ: publish jobs (persistent, confirmed) and consume the workers'
 * reports from the shared reports queue, acking each once it is recorded. With several API
 * instances each report goes to one of them.
 */
export class RabbitJobQueue extends JobQueue {
  private readonly names: QueueNames;
  private readonly link: RabbitLink;

  constructor(
    url: string,
    prefix: string,
    private readonly log: (message: string) => void,
  ) {
    super();
    this.names = queueNames(prefix);
    this.link = openRabbit(url, this.names, log);
  }

  async submit(job: JobMessage): Promise<void> {
    await this.link.channel.sendToQueue(this.names.jobs, job, { persistent: true });
  }

  async consumeReports(onReport: (report: JobReport) => Promise<void>): Promise<void> {
    const { channel } = this.link;
    await channel.consume(
      this.names.reports,
      async (message) => {
        const parsed = JobReportSchema.safeParse(JSON.parse(message.content.toString()));
        if (parsed.success) await onReport(parsed.data);
        else this.log(`dropping a report that is not one: ${parsed.error.message}`);
        channel.ack(message);
      },
      { prefetch: 50 },
    );
  }

  async close(): Promise<void> {
    await this.link.channel.close();
    await this.link.connection.close();
  }
}
