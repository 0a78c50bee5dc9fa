import type { Channel } from 'amqplib';

/**
 * The RabbitMQ layout, all durable, named from one prefix so separate deployments (and parallel
 * test suites) never share queues:
 * - `<p>.jobs`: job messages, consumed by workers with manual ack and a prefetch;
 * - `<p>.jobs.retry.<ms>`: one delay queue per retry delay, whose messages expire back into
 *   `<p>.jobs` (per-message TTL only expires at a queue's head, so mixed delays need a queue each);
 * - `<p>.jobs.dead`: jobs that used up their attempts;
 * - `<p>.job-reports`: what workers report, consumed once by the API instances: a shared queue
 *   with a single active consumer, so reports are applied in the order workers sent them however
 *   many API instances there are (another instance takes over when the active one goes away).
 */
export function queueNames(prefix: string) {
  return {
    jobs: `${prefix}.jobs`,
    retry: (delayMs: number) => `${prefix}.jobs.retry.${delayMs}`,
    dead: `${prefix}.jobs.dead`,
    reports: `${prefix}.job-reports`,
  };
}
export type QueueNames = ReturnType<typeof queueNames>;

export async function assertBaseTopology(channel: Channel, names: QueueNames): Promise<void> {
  await channel.assertQueue(names.jobs, { durable: true });
  await channel.assertQueue(names.dead, { durable: true });
  await channel.assertQueue(names.reports, {
    durable: true,
    arguments: { 'x-single-active-consumer': true },
  });
}

export async function assertRetryQueue(
  channel: Channel,
  names: QueueNames,
  delayMs: number,
): Promise<void> {
  await channel.assertQueue(names.retry(delayMs), {
    durable: true,
    arguments: {
      'x-message-ttl': delayMs,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': names.jobs,
    },
  });
}
