export { JOB_HANDLERS, runJob, type JobContext, type JobOutcome } from './job-handlers';
export { retryDelayMs, shouldRetry } from './retry-policy';
export {
  WorkerStoppingError,
  runAttempt,
  type AttemptOptions,
  type AttemptOutcome,
} from './run-attempt';
