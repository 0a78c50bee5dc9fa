import { z } from 'zod';
import { wholeNumber } from './env';

/** `memory` runs workers inside the API; the brokers run them in apps/worker processes. */
export const QUEUE_DRIVERS = ['memory', 'rabbitmq', 'bullmq'] as const;
export const BROKER_QUEUE_DRIVERS = ['rabbitmq', 'bullmq'] as const;

/**
 * The queue settings the API and the worker both read, written once: the API's config and the
 * worker's compose this, so the two processes never disagree on a name, a default or a bound.
 * `QUEUE` itself is each process's own (the worker has no `memory` driver).
 */
export const QueueConfigSchema = z.object({
  AMQP_URL: z.string().default('amqp://guest:guest@127.0.0.1:5672'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Names every queue, so deployments and parallel test runs never share one. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9._-]{1,64}$/, 'lower-case letters, digits, ".", "_" or "-"')
    .default('pushpull'),
  /** Attempts before a failing job is dead-lettered. */
  MAX_ATTEMPTS: wholeNumber(3, 1, 100),
  /** First retry delay; each further retry doubles it. */
  RETRY_BASE_MS: wholeNumber(500, 0, 3_600_000),
  /** Jobs one worker (or the API's in-process pool) runs at once. */
  WORKER_CONCURRENCY: wholeNumber(4, 1, 1000),
});
export type QueueConfig = z.infer<typeof QueueConfigSchema>;
