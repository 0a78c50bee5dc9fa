import amqplib from 'amqplib';
import { queueNames } from './topology';

/** Deletes a prefix's queues (tests and demos clean up after themselves). */
export async function deleteRabbitQueues(
  url: string,
  prefix: string,
  retryDelaysMs: number[],
): Promise<void> {
  const names = queueNames(prefix);
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    for (const queue of [
      names.jobs,
      names.dead,
      names.reports,
      ...retryDelaysMs.map(names.retry),
    ]) {
      await channel.deleteQueue(queue);
    }
    await channel.close();
  } finally {
    await connection.close();
  }
}
