export { ConfigError, loadEnv, wholeNumber } from './config/env';
export {
  BROKER_QUEUE_DRIVERS,
  QUEUE_DRIVERS,
  QueueConfigSchema,
  type QueueConfig,
} from './config/queue-config';
export { JobQueue } from './job-queue';
export { JOB_HANDLERS, runJob, type JobContext, type JobOutcome } from './job-handlers';
export { retryDelayMs, shouldRetry } from './retry-policy';
export {
  WorkerStoppingError,
  runAttempt,
  stoppableSleep,
  type AttemptOptions,
  type AttemptOutcome,
} from './run-attempt';
export { RabbitJobQueue } from './rabbitmq/rabbit-job-queue';
export { startRabbitWorker, type RabbitWorkerOptions } from './rabbitmq/rabbit-worker';
export { deleteRabbitQueues } from './rabbitmq/delete-queues';
export { BullJobQueue, type BullJobQueueOptions } from './bullmq/bull-job-queue';
export { startBullWorker, type BullWorkerOptions } from './bullmq/bull-worker';
export { deleteBullQueues } from './bullmq/delete-bull-queues';
