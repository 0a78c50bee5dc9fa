import { z } from 'zod';

const whole = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : v),
    z.coerce.number().int().min(min).max(max),
  );

/** The worker's settings, validated once; the same names and defaults as the API's. */
export const WorkerConfigSchema = z.object({
  QUEUE: z.enum(['rabbitmq', 'bullmq']).default('rabbitmq'),
  AMQP_URL: z.string().default('amqp://guest:guest@127.0.0.1:5672'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** BullMQ: how soon a job whose worker died goes back to the queue. */
  STALLED_INTERVAL_MS: whole(30_000, 100, 3_600_000),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9._-]{1,64}$/)
    .default('pushpull'),
  WORKER_CONCURRENCY: whole(4, 1, 1000),
  MAX_ATTEMPTS: whole(3, 1, 100),
  RETRY_BASE_MS: whole(500, 0, 3_600_000),
});
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const result = WorkerConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
  throw new Error(`Invalid configuration: ${problems.join('; ')}`);
}
