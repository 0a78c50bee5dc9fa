import { Queue } from 'bullmq';
import { bullConnection, bullQueueNames } from './bull-names';
import { consumerLeaseKey } from './ordered-consumer';

/** Removes a prefix's BullMQ queues and their keys (tests and demos clean up after themselves). */
export async function deleteBullQueues(url: string, prefix: string): Promise<void> {
  for (const name of Object.values(bullQueueNames(prefix))) {
    const connection = bullConnection(url);
    const queue = new Queue(name, { connection });
    await queue.obliterate({ force: true });
    await connection.del(consumerLeaseKey(name));
    await queue.close();
    connection.disconnect();
  }
}
