'use client';

import { shortJobId } from '@/hooks/jobs-view';
import { useJobs } from '@/hooks/useJobs';
import { ApiInstance } from './ApiInstance';
import { ConnectionStatus } from './ConnectionStatus';
import { Counters, LiveLatencyNote } from './Counters';
import { MechanismHeader } from './MechanismHeader';
import { ErrorNotice } from './ErrorNotice';
import { JobCard } from './JobCard';
import { JobSubmitForm } from './JobSubmitForm';
import { OfflineToggle } from './OfflineToggle';
import { WireLog } from './WireLog';
import './jobs.css';
import './mechanism-page.css';
import { fallbackKey } from '@/lib/fallback-urls';

interface JobsPageProps {
  /** API origin, read by the server per request (`?api=` or the first configured) and handed down. */
  apiUrl: string;
  /** Every configured API origin, `apiUrl` first: the failover order for the client. */
  apiUrls: string[];
}

/**
 * The message-queue page: submit jobs, and watch each one over its own `job:<id>` subscription.
 * The shared panels (connection, counters, wire log) cover every job subscription at once.
 */
export function JobsPage({ apiUrl, apiUrls }: JobsPageProps) {
  const jobs = useJobs(apiUrl, fallbackKey(apiUrl, apiUrls));
  const latest = jobs.jobs[0];

  return (
    <article className="mechanism-page">
      <MechanismHeader mechanism="message-queue">
        <p className="target">
          <ApiInstance apiUrl={apiUrl} apiUrls={apiUrls} /> · each job is followed over SSE on{' '}
          <code>job:&lt;id&gt;</code>
        </p>
      </MechanismHeader>

      <div className="mechanism-grid">
        <div className="panel-column">
          <section className="panel">
            <h2>Submit a job</h2>
            <JobSubmitForm onSubmit={jobs.submit} />
          </section>
          <section className="panel">
            <h2>Connection</h2>
            {latest ? (
              <>
                <ConnectionStatus connection={latest.connection} />
                <ErrorNotice error={latest.connection.error} />
                <p className="hint job-connection-note">
                  Latest job <code>{shortJobId(latest.jobId)}</code>; its stream closes when the job
                  is done.
                </p>
              </>
            ) : (
              <p className="hint job-connection-note">
                No job yet: each job opens its own event stream.
              </p>
            )}
            <OfflineToggle offline={jobs.offline} onChange={jobs.setOffline} />
          </section>
          <section className="panel">
            <h2>Counters</h2>
            <Counters stats={jobs.stats} />
            <LiveLatencyNote />
          </section>
        </div>
        <section className="panel feed-panel">
          <h2>Jobs</h2>
          <div className="job-list">
            {jobs.jobs.map((job) => (
              <JobCard key={job.jobId} job={job} />
            ))}
            {jobs.jobs.length === 0 && <p className="empty-note">No jobs yet. Submit one.</p>}
          </div>
        </section>
      </div>

      <section className="panel">
        <h2>Wire log</h2>
        <WireLog lines={jobs.wire} />
      </section>
    </article>
  );
}
