import { JobMessageSchema, type JobReport } from '@pushpull/contracts';
import type { Channel, ConsumeMessage } from 'amqplib';
import { WorkerStoppingError, runAttempt, stoppableSleep } from '../run-attempt';
import { openRabbit } from './rabbit-connection';
import { assertRetryQueue, queueNames } from './topology';

export interface RabbitWorkerOptions {
  url: string;
  prefix: string;
  concurrency: number;
  maxAttempts: number;
  retryBaseMs: number;
  log(message: string): void;
}

/**
 * A worker on RabbitMQ: takes up to `concurrency` jobs at a time (prefetch), runs each attempt,
 * sends every report (confirmed by the broker) before it acks the job, and schedules retries
 * through the delay queues. A worker that dies mid-job never acked it: RabbitMQ redelivers it,
 * and the API's job state machine keeps the second run's repeats off the channel.
 */
export async function startRabbitWorker(
  options: RabbitWorkerOptions,
): Promise<{ stop(): Promise<void> }> {
  const names = queueNames(options.prefix);
  const { connection, channel } = openRabbit(options.url, names, options.log);
  const retryQueues = new Set<number>();
  const { sleep, stop: stopSleeping } = stoppableSleep();
  let stopping = false;

  async function handle(message: ConsumeMessage): Promise<void> {
    // Delivered while stopping (the slot a handed-back job freed): not started, left unacked, so
    // the broker gives it to another worker when the channel closes.
    if (stopping) return;
    const parsed = JobMessageSchema.safeParse(JSON.parse(message.content.toString()));
    if (!parsed.success) {
      options.log(`dropping a message that is not a job: ${parsed.error.message}`);
      channel.nack(message, false, false);
      return;
    }
    const job = parsed.data;
    const sent: Array<Promise<unknown>> = [];
    const report = (r: JobReport) =>
      sent.push(channel.sendToQueue(names.reports, r, { persistent: true }));
    try {
      const outcome = await runAttempt(
        job,
        { maxAttempts: options.maxAttempts, retryBaseMs: options.retryBaseMs, sleep },
        report,
      );
      if (outcome.next === 'retry') {
        if (!retryQueues.has(outcome.delayMs)) {
          retryQueues.add(outcome.delayMs);
          await channel.addSetup((raw: Channel) => assertRetryQueue(raw, names, outcome.delayMs));
        }
        sent.push(
          channel.sendToQueue(
            names.retry(outcome.delayMs),
            { ...job, attempt: job.attempt + 1 },
            { persistent: true },
          ),
        );
      }
      if (outcome.next === 'dead-letter')
        sent.push(channel.sendToQueue(names.dead, job, { persistent: true }));
      await Promise.all(sent); // confirmed by the broker before the job is acked
      channel.ack(message);
    } catch (error) {
      if (!(error instanceof WorkerStoppingError))
        options.log(`job ${job.jobId}: ${String(error)}`);
      // Unacked: the broker redelivers it when this channel closes.
    }
  }

  await channel.waitForConnect();
  await channel.consume(names.jobs, (message) => void handle(message), {
    prefetch: options.concurrency,
  });
  return {
    async stop() {
      stopping = true;
      stopSleeping();
      await channel.close();
      await connection.close();
    },
  };
}
