import {
  EMPTY_STATS,
  type StatusChange,
  type SubscriptionStats,
  type WireEntry,
} from '@pushpull/client';
import type { ChannelEvent, JobAccepted, JobStatus, JobType } from '@pushpull/contracts';
import { withWireLine, type WireLine } from './subscription-view';

/** Jobs kept on the page; older cards (and their subscriptions) are dropped. */
export const MAX_JOBS = 20;

/** One submitted job as the page knows it: its channel's events, folded into a status. */
export interface JobView {
  jobId: string;
  channel: string;
  type: JobType;
  /** Oldest first, as the events arrived on `job:<id>`. */
  events: ChannelEvent[];
  /** The events folded by the contracts' state machine; undefined until `job.queued` arrives. */
  status?: JobStatus;
  connection: StatusChange;
  stats: SubscriptionStats;
}

export interface JobsView {
  /** Newest first. */
  jobs: JobView[];
  /** Every job subscription's wire entries merged, newest first. */
  wire: WireLine[];
  nextWireKey: number;
  offline: boolean;
  /** Percentiles over every job's live events (per-subscription percentiles cannot be summed). */
  latency: { p50?: number; p95?: number };
}

export type JobsAction =
  | { type: 'submitted'; accepted: JobAccepted; jobType: JobType }
  | { type: 'event'; jobId: string; event: ChannelEvent; status?: JobStatus }
  | { type: 'status'; jobId: string; change: StatusChange }
  | { type: 'stats'; jobId: string; stats: SubscriptionStats }
  | { type: 'latency'; p50?: number; p95?: number }
  | { type: 'wire'; entry: WireEntry }
  | { type: 'offline'; offline: boolean };

export const INITIAL_JOBS_VIEW: JobsView = {
  jobs: [],
  wire: [],
  nextWireKey: 0,
  offline: false,
  latency: {},
};

/** The first block of a job id: enough to tell the cards apart. */
export const shortJobId = (jobId: string) => jobId.slice(0, 8);

const COUNTED = [
  'requests',
  'bytesIn',
  'events',
  'duplicatesDropped',
  'reconnects',
  'resets',
  'replayed',
] as const;

/** The page's counters: every job subscription's counts added up, the oldest replay the oldest. */
export function totalStats(view: JobsView): SubscriptionStats {
  const total: SubscriptionStats = { ...EMPTY_STATS };
  for (const job of view.jobs) for (const key of COUNTED) total[key] += job.stats[key];
  const replayAges = view.jobs.flatMap(({ stats }) => stats.oldestReplayAgeMs ?? []);
  return {
    ...total,
    ...(replayAges.length > 0 && { oldestReplayAgeMs: Math.max(...replayAges) }),
    latencyP50Ms: view.latency.p50,
    latencyP95Ms: view.latency.p95,
  };
}

function updateJob(view: JobsView, jobId: string, change: (job: JobView) => JobView): JobsView {
  return { ...view, jobs: view.jobs.map((job) => (job.jobId === jobId ? change(job) : job)) };
}

export function reduceJobsView(view: JobsView, action: JobsAction): JobsView {
  switch (action.type) {
    case 'submitted': {
      const job: JobView = {
        jobId: action.accepted.jobId,
        channel: action.accepted.channel,
        type: action.jobType,
        events: [],
        connection: { status: 'connecting' },
        stats: EMPTY_STATS,
      };
      return { ...view, jobs: [job, ...view.jobs].slice(0, MAX_JOBS) };
    }
    case 'event':
      return updateJob(view, action.jobId, (job) => ({
        ...job,
        events: [...job.events, action.event],
        status: action.status ?? job.status,
      }));
    case 'status':
      return updateJob(view, action.jobId, (job) => ({ ...job, connection: action.change }));
    case 'stats':
      // The stats timer ticks every 500 ms; an unchanged snapshot must not re-render the page.
      return updateJob(view, action.jobId, (job) =>
        COUNTED.every((key) => job.stats[key] === action.stats[key]) &&
        job.stats.oldestReplayAgeMs === action.stats.oldestReplayAgeMs
          ? job
          : { ...job, stats: action.stats },
      );
    case 'latency':
      return { ...view, latency: { p50: action.p50, p95: action.p95 } };
    case 'wire':
      return { ...view, ...withWireLine(view, action.entry) };
    case 'offline':
      return { ...view, offline: action.offline };
  }
}
