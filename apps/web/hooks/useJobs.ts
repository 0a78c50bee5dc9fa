import {
  ClientError,
  LatencyWindow,
  connect,
  submitJob,
  type Subscription,
  type SubscriptionStats,
  type WireEntry,
} from '@pushpull/client';
import {
  nextJobStatus,
  paths,
  type JobAccepted,
  type JobStatus,
  type JobType,
} from '@pushpull/contracts';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import {
  INITIAL_JOBS_VIEW,
  reduceJobsView,
  shortJobId,
  totalStats,
  type JobsView,
} from './jobs-view';
import { fallbackUrls } from '@/lib/fallback-urls';

/** Counters like `requests` move without an event to announce it; a timer keeps them current. */
const STATS_REFRESH_MS = 500;

/** States after which nothing more is published on the job's channel. */
const FINAL_STATES: ReadonlySet<JobStatus['state']> = new Set(['completed', 'dead-lettered']);

export interface JobsState extends JobsView {
  /** Every job subscription's counters added up. */
  stats: SubscriptionStats;
  /** Submits a job and follows it; rejects with the API's ClientError (`invalid_body`, …). */
  submit(type: JobType, input: unknown): Promise<void>;
  /** Applies the offline toggle to every open job subscription (and to jobs submitted meanwhile). */
  setOffline(offline: boolean): void;
}

interface OpenJob {
  subscription: Subscription;
  detach: () => void;
}

/**
 * The message-queue page's state: `submitJob` once per job, then one `connect('message-queue')`
 * subscription per job on `job:<id>` from its first event, folded with the contracts' job state
 * machine, and closed as soon as the job completes or is dead-lettered.
 */
export function useJobs(apiUrl: string, fallbacks = ''): JobsState {
  const [view, dispatch] = useReducer(reduceJobsView, INITIAL_JOBS_VIEW);
  // Each open subscription holds an EventSource, and a browser allows six HTTP/1.1 connections per
  // origin: so a job's subscription lives only until the job is done.
  const openJobs = useRef(new Map<string, OpenJob>());
  const offline = useRef(false);
  const [latency] = useState(() => new LatencyWindow());

  useEffect(() => {
    const jobs = openJobs.current;
    const timer = setInterval(() => {
      for (const [jobId, { subscription }] of jobs)
        dispatch({ type: 'stats', jobId, stats: subscription.stats() });
    }, STATS_REFRESH_MS);
    return () => {
      clearInterval(timer);
      // Detach first, so the final `closed` status is not dispatched into an unmounted page.
      for (const { subscription, detach } of jobs.values()) {
        detach();
        subscription.close();
      }
      jobs.clear();
    };
  }, []);

  const follow = useCallback(
    ({ jobId, channel }: JobAccepted) => {
      const subscription = connect('message-queue', {
        baseUrl: apiUrl,
        fallbackUrls: fallbackUrls(fallbacks),
        channel,
      });
      if (offline.current) subscription.setOffline(true);
      const short = shortJobId(jobId);
      const refreshStats = () => dispatch({ type: 'stats', jobId, stats: subscription.stats() });
      let status: JobStatus | undefined;

      const finish = () => {
        refreshStats();
        openJobs.current.delete(jobId);
        subscription.close(); // reports `closed`, then drops its listeners
      };
      const detachers = [
        subscription.on('status', (change) => dispatch({ type: 'status', jobId, change })),
        subscription.on('wire', (entry) => {
          dispatch({ type: 'wire', entry: { ...entry, summary: `${short}  ${entry.summary}` } });
          refreshStats();
        }),
        subscription.on('event', (event, delivery) => {
          // The same pure state machine the API folds with; an event it refuses changes nothing.
          status =
            nextJobStatus(status, event.type, event.data, { jobId, channel, ts: event.ts }) ??
            status;
          dispatch({ type: 'event', jobId, event, status });
          // The client's rule: what the job published before its subscription connected is replayed.
          if (!delivery.replayed) {
            latency.add(delivery.ageMs);
            dispatch({ type: 'latency', p50: latency.percentile(50), p95: latency.percentile(95) });
          }
          refreshStats();
          if (status && FINAL_STATES.has(status.state)) finish();
        }),
      ];
      openJobs.current.set(jobId, {
        subscription,
        detach: () => detachers.forEach((off) => off()),
      });
    },
    [apiUrl, fallbacks, latency],
  );

  const submit = useCallback(
    async (type: JobType, input: unknown) => {
      const started = Date.now();
      const wire = (entry: Pick<WireEntry, 'status' | 'summary'>) =>
        dispatch({
          type: 'wire',
          entry: { at: Date.now(), direction: 'out', ms: Date.now() - started, ...entry },
        });
      let accepted: JobAccepted;
      try {
        accepted = await submitJob(apiUrl, type, input);
      } catch (error) {
        const failure = ClientError.from(error);
        wire({
          summary: `POST ${paths.jobs()} (${type}) → ${failure.code}`,
          status: failure.status,
        });
        throw failure;
      }
      wire({
        summary: `POST ${paths.jobs()} (${type}) → ${shortJobId(accepted.jobId)}`,
        status: 202,
      });
      dispatch({ type: 'submitted', accepted, jobType: type });
      follow(accepted);
    },
    [apiUrl, follow],
  );

  const setOffline = useCallback((value: boolean) => {
    offline.current = value;
    for (const { subscription } of openJobs.current.values()) subscription.setOffline(value);
    dispatch({ type: 'offline', offline: value });
  }, []);

  const stats = useMemo(() => totalStats(view), [view]);
  return { ...view, stats, submit, setOffline };
}
