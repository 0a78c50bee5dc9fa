import type { ChannelEvent } from './events';
import { JobEventSchema, type JobEvent, type JobStatus } from './jobs';

/** Where and when a job event was appended. */
export interface JobEventPlace {
  jobId: string;
  channel: string;
  ts: number;
}

/**
 * The job state machine, pure: which job event may follow the current status, and the status after
 * it. The API appends a reported event only when it is accepted — so a redelivered job that runs
 * (and completes) twice still leaves exactly one `job.completed` on its channel — and
 * `GET /api/jobs/:id` and the page fold the channel with the same function.
 */
export function applyJobEvent(
  status: JobStatus | undefined,
  event: JobEvent,
  at: JobEventPlace,
): JobStatus | undefined {
  if (event.type === 'job.queued') {
    if (status) return undefined;
    return {
      jobId: at.jobId,
      channel: at.channel,
      type: event.data.type,
      state: 'queued',
      attempt: 0,
      percent: 0,
      submittedAt: at.ts,
      updatedAt: at.ts,
    };
  }
  if (!status) return recoveredJobStatus(event, at);
  if (status.state === 'completed' || status.state === 'dead-lettered') return undefined;
  const next = { ...status, updatedAt: at.ts };

  switch (event.type) {
    case 'job.started': {
      const { attempt } = event.data;
      // A redelivered attempt (worker crash) starts again under the same number: nothing new.
      if (
        attempt !== status.attempt + 1 ||
        (status.state !== 'queued' && status.state !== 'retrying')
      )
        return undefined;
      return { ...next, state: 'running', attempt, percent: 0 };
    }
    case 'job.progress': {
      const { attempt, percent } = event.data;
      // Progress only moves forward, so a redelivered attempt does not rewind the bar.
      if (status.state !== 'running' || attempt !== status.attempt || percent <= status.percent)
        return undefined;
      return { ...next, percent };
    }
    case 'job.failed': {
      const { attempt, error } = event.data;
      if (status.state !== 'running' || attempt !== status.attempt) return undefined;
      return { ...next, state: 'failed', error };
    }
    case 'job.retrying': {
      if (status.state !== 'failed' || event.data.attempt !== status.attempt + 1) return undefined;
      return { ...next, state: 'retrying' };
    }
    case 'job.completed': {
      if (status.state !== 'running') return undefined;
      const { error: _error, ...rest } = next;
      return { ...rest, state: 'completed', percent: 100, result: event.data.result };
    }
    case 'job.dead-lettered': {
      if (status.state !== 'failed') return undefined;
      return { ...next, state: 'dead-lettered', error: event.data.error };
    }
  }
}

/**
 * `applyJobEvent` for a `type` and `data` not yet known to be a job event (read back from a
 * channel): anything that is not a well-formed job event is not accepted.
 */
export function nextJobStatus(
  status: JobStatus | undefined,
  type: string,
  data: unknown,
  at: JobEventPlace,
): JobStatus | undefined {
  const event = JobEventSchema.safeParse({ type, data });
  return event.success ? applyJobEvent(status, event.data, at) : undefined;
}

/**
 * A job whose channel lost its start (an API on the memory backplane restarted while the job sat in
 * the broker) is taken up again from its next `job.started`, which names the job type: the job
 * itself is never lost, only the history from before the restart.
 */
function recoveredJobStatus(event: JobEvent, at: JobEventPlace): JobStatus | undefined {
  if (event.type !== 'job.started' || !event.data.type) return undefined;
  return {
    jobId: at.jobId,
    channel: at.channel,
    type: event.data.type,
    state: 'running',
    attempt: event.data.attempt,
    percent: 0,
    submittedAt: at.ts,
    updatedAt: at.ts,
  };
}

/** Folds a job channel (oldest first) into its status; undefined before `job.queued`. */
export function foldJobEvents(
  jobId: string,
  events: readonly ChannelEvent[],
): JobStatus | undefined {
  let status: JobStatus | undefined;
  for (const event of events) {
    status =
      nextJobStatus(status, event.type, event.data, {
        jobId,
        channel: event.channel,
        ts: event.ts,
      }) ?? status;
  }
  return status;
}
