import {
  JobInputSchemas,
  type JobInput,
  type JobType,
  type JsonValue,
  type PublishBody,
} from '@pushpull/contracts';

/** What a running job may do besides returning its result. */
export interface JobContext {
  jobId: string;
  attempt: number;
  progress(percent: number): void;
  /** Resolves after `ms`, or rejects when the worker is stopping. */
  sleep(ms: number): Promise<void>;
}

/** A job's result; `relay` also names the event the API publishes once the job completes. */
export interface JobOutcome {
  result: JsonValue;
  relay?: { channel: string } & PublishBody;
}

type Handler<T extends JobType> = (input: JobInput<T>, context: JobContext) => Promise<JobOutcome>;

/** The demo jobs. Each is small on purpose: the queue around them is what the kit shows. */
export const JOB_HANDLERS: { [T in JobType]: Handler<T> } = {
  async report({ steps, stepMs }, context) {
    for (let step = 1; step <= steps; step++) {
      await context.sleep(stepMs);
      context.progress(Math.round((step / steps) * 100));
    }
    return { result: { steps, report: `report with ${steps} sections` } };
  },
  async flaky({ failures }, context) {
    if (context.attempt <= failures)
      throw new Error(`flaky: attempt ${context.attempt} of the ${failures} that fail`);
    return { result: { succeededOnAttempt: context.attempt } };
  },
  async poison() {
    throw new Error('poison: this job always fails');
  },
  async relay({ channel, type, data }) {
    return { result: { relayedTo: channel }, relay: { channel, type, data } };
  },
};

/** Runs one attempt of a job; throws what the job throws. */
export async function runJob(
  type: JobType,
  input: unknown,
  context: JobContext,
): Promise<JobOutcome> {
  const parsed = JobInputSchemas[type].parse(input);
  return (JOB_HANDLERS[type] as Handler<JobType>)(parsed as JobInput, context);
}
