import type { ChannelEvent } from './events';
import {
  JobEventDataSchemas,
  type JobEventData,
  type JobEventType,
  type JobStatus,
  type JobType,
} from './jobs';

/**
 * The job state machine, pure: which job event may follow the current status, and the status after
 * it. The API appends a reported event only when `nextJobStatus` accepts it — so a redelivered job
 * that runs (and completes) twice still leaves exactly one `job.completed` on its channel — and
 * `GET /api/jobs/:id` and the page fold the channel with the same function.
 */
export function nextJobStatus(
  status: JobStatus | undefined,
  type: string,
  rawData: unknown,
  at: { jobId: string; channel: string; ts: number },
): JobStatus | undefined {
  if (!(type in JobEventDataSchemas)) return undefined;
  const parsed = JobEventDataSchemas[type as JobEventType].safeParse(rawData);
  if (!parsed.success) return undefined;
  const data = parsed.data as JobEventData;

  if (type === 'job.queued') {
    if (status) return undefined;
    const { type: jobType } = data as JobEventData<'job.queued'>;
    return {
      jobId: at.jobId,
      channel: at.channel,
      type: jobType as JobType,
      state: 'queued',
      attempt: 0,
      percent: 0,
      submittedAt: at.ts,
      updatedAt: at.ts,
    };
  }
  if (!status) return recoveredJobStatus(type, data, at);
  if (status.state === 'completed' || status.state === 'dead-lettered') return undefined;
  const next = { ...status, updatedAt: at.ts };

  switch (type as Exclude<JobEventType, 'job.queued'>) {
    case 'job.started': {
      const { attempt } = data as JobEventData<'job.started'>;
      // A redelivered attempt (worker crash) starts again under the same number: nothing new.
      if (
        attempt !== status.attempt + 1 ||
        (status.state !== 'queued' && status.state !== 'retrying')
      )
        return undefined;
      return { ...next, state: 'running', attempt, percent: 0 };
    }
    case 'job.progress': {
      const { attempt, percent } = data as JobEventData<'job.progress'>;
      // Progress only moves forward, so a redelivered attempt does not rewind the bar.
      if (status.state !== 'running' || attempt !== status.attempt || percent <= status.percent)
        return undefined;
      return { ...next, percent };
    }
    case 'job.failed': {
      const { attempt, error } = data as JobEventData<'job.failed'>;
      if (status.state !== 'running' || attempt !== status.attempt) return undefined;
      return { ...next, state: 'failed', error };
    }
    case 'job.retrying': {
      const { attempt } = data as JobEventData<'job.retrying'>;
      if (status.state !== 'failed' || attempt !== status.attempt + 1) return undefined;
      return { ...next, state: 'retrying' };
    }
    case 'job.completed': {
      const { result } = data as JobEventData<'job.completed'>;
      if (status.state !== 'running') return undefined;
      const { error: _error, ...rest } = next;
      return { ...rest, state: 'completed', percent: 100, result };
    }
    case 'job.dead-lettered': {
      const { error } = data as JobEventData<'job.dead-lettered'>;
      if (status.state !== 'failed') return undefined;
      return { ...next, state: 'dead-lettered', error };
    }
  }
}

/**
 * A job whose channel lost its start (an API on the memory backplane restarted while the job sat in
 * the broker) is taken up again from its next `job.started`, which names the job type: the job
 * itself is never lost, only the history from before the restart.
 */
function recoveredJobStatus(
  type: string,
  data: JobEventData,
  at: { jobId: string; channel: string; ts: number },
): JobStatus | undefined {
  const started = data as JobEventData<'job.started'>;
  if (type !== 'job.started' || !started.type) return undefined;
  return {
    jobId: at.jobId,
    channel: at.channel,
    type: started.type,
    state: 'running',
    attempt: started.attempt,
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
