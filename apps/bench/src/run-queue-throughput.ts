import { connect, submitJob } from '@pushpull/client';
import type { Pinning } from './load-workers';
import type { QueueDriverName } from './result';
import { startServer } from './run-mechanism';

export interface QueueThroughput {
  driver: QueueDriverName;
  jobs: number;
  jobsPerSecond: number;
}

/**
 * Closed-loop throughput of a queue driver: `jobs` relay jobs submitted as fast as 50 at a time
 * can go, timed until one subscriber has received every relayed event.
 */
export async function runQueueThroughput(
  driver: QueueDriverName,
  jobs: number,
  pinning: Pinning,
): Promise<QueueThroughput> {
  const { api, stop } = await startServer(driver, pinning);
  const channel = `bench-throughput-${driver}`;
  const subscription = connect('sse', { baseUrl: api.url, channel });
  try {
    await new Promise<void>((resolve) =>
      subscription.on('status', (c) => c.status === 'open' && resolve()),
    );
    let received = 0;
    const done = new Promise<void>((resolve) =>
      subscription.on('event', () => {
        received += 1;
        if (received === jobs) resolve();
      }),
    );
    const started = Date.now();
    let next = 0;
    const submitter = async () => {
      while (next < jobs) {
        const seq = next++;
        await submitJob(api.url, 'relay', { channel, type: 'bench', data: { seq } });
      }
    };
    await Promise.all(Array.from({ length: 50 }, submitter));
    await done;
    return { driver, jobs, jobsPerSecond: jobs / ((Date.now() - started) / 1000) };
  } finally {
    subscription.close();
    await stop();
  }
}
