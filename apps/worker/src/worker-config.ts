import { BROKER_QUEUE_DRIVERS, QueueConfigSchema, loadEnv, wholeNumber } from '@pushpull/jobs';
import { z } from 'zod';

/** The worker's settings: the queue settings the API reads too, plus its own. Validated once. */
export const WorkerConfigSchema = QueueConfigSchema.extend({
  /** Which broker to consume; `memory` has no separate worker (the API runs it in-process). */
  QUEUE: z.enum(BROKER_QUEUE_DRIVERS).default('rabbitmq'),
  /** BullMQ: how soon a job whose worker died goes back to the queue. */
  STALLED_INTERVAL_MS: wholeNumber(30_000, 100, 3_600_000),
  /** On SIGTERM/SIGINT: the drain (running jobs handed back) gets this long; past it, exit 1. */
  SHUTDOWN_TIMEOUT_MS: wholeNumber(10_000, 100, 3_600_000),
});
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

/** Throws a ConfigError whose message is one line naming the variable, as the API's does. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  return loadEnv(WorkerConfigSchema, env);
}
