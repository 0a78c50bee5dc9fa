import { JobEventSchema, type ChannelEvent, type JobEvent } from '@pushpull/contracts';
import { shortJobId, type JobView } from '@/hooks/jobs-view';

/** One line per job event, in the words a reader of the queue would use. */
function describe(event: JobEvent): string {
  switch (event.type) {
    case 'job.queued':
      return `input ${JSON.stringify(event.data.input)}`;
    case 'job.started':
      return `attempt ${event.data.attempt}`;
    case 'job.progress':
      return `${event.data.percent}%`;
    case 'job.failed':
      return `attempt ${event.data.attempt}: ${event.data.error}`;
    case 'job.retrying':
      return `retry ${event.data.attempt} in ${event.data.delayMs} ms`;
    case 'job.completed':
      return JSON.stringify(event.data.result);
    case 'job.dead-lettered':
      return `after ${event.data.attempts} attempts: ${event.data.error}`;
  }
}

/** The contract's union types the event; anything off it is shown as it came. */
function describeJobEvent({ type, data }: ChannelEvent): string {
  const parsed = JobEventSchema.safeParse({ type, data });
  return parsed.success ? describe(parsed.data) : JSON.stringify(data);
}

/**
 * One job: its state as the contracts' state machine folds its channel, progress, attempt, and
 * every event it published, in order. The outcome (result or error) sits above the event list.
 */
export function JobCard({ job }: { job: JobView }) {
  const { jobId, type, status, events } = job;
  // A 202 means `job.queued` is already on the channel: until it arrives, that is the state.
  const state = status?.state ?? 'queued';
  const percent = status?.percent ?? 0;
  const short = shortJobId(jobId);

  return (
    <article
      className={`job-card job-card-${state}`}
      aria-label={`Job ${short}`}
      data-testid="job-card"
      data-job-id={jobId}
    >
      <header className="job-card-header">
        <h3 className="job-card-title">
          {type} <code title={jobId}>{short}</code>
        </h3>
        <span data-testid="job-state" className={`job-state job-state-${state}`}>
          {state}
        </span>
      </header>

      <div className="job-progress">
        <progress aria-label="Progress" max={100} value={percent} />
        <span className="job-percent">{percent}%</span>
        <span className="job-attempt" data-testid="job-attempt">
          attempt {status?.attempt ?? 0}
        </span>
      </div>

      {state === 'completed' && (
        <p className="job-outcome">
          <span className="job-outcome-label">Result</span>
          <code data-testid="job-result">{JSON.stringify(status?.result)}</code>
        </p>
      )}
      {state !== 'completed' && status?.error && (
        <p className="job-outcome job-outcome-error">
          <span className="job-outcome-label">
            {state === 'dead-lettered' ? 'Dead-lettered' : 'Last error'}
          </span>
          <code data-testid="job-error">{status.error}</code>
        </p>
      )}

      <ol aria-label="Job events" className="job-events">
        {events.map((event) => (
          <li key={event.id} data-event-type={event.type} className="job-event">
            <code className="job-event-type">{event.type}</code>{' '}
            <span className="job-event-detail">{describeJobEvent(event)}</span>
          </li>
        ))}
      </ol>
    </article>
  );
}
