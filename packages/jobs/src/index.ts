export { JOB_HANDLERS, runJob, type JobContext, type JobOutcome } from './job-handlers';
export { retryDelayMs, shouldRetry } from './retry-policy';
