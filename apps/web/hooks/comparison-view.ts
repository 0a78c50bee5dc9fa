import { EMPTY_STATS, type StatusChange, type SubscriptionStats } from '@pushpull/client';
import { MECHANISM_IDS, type ChannelEvent, type MechanismId } from '@pushpull/contracts';

/** Bounds that keep a long-running comparison light. */
export const MAX_RECEIVED = 50;
/** Two minutes of one-second samples. */
export const MAX_SAMPLES = 120;

/** What the publisher puts in each event: `seq` lines the panes up, `sentAt` times the whole trip. */
// A type, not an interface: only a type alias fits the contracts' JSON value type.
export type CompareData = {
  seq: number;
  /** Browser clock (ms) just before the publish: the same clock that stamps the receipt. */
  sentAt: number;
  /** Filler that makes the event as large as the publisher's payload setting. */
  pad: string;
};

/** `seq` and `sentAt` of an event the publisher sent; undefined for anything else on the channel. */
export function compareDataOf(
  event: ChannelEvent,
): Pick<CompareData, 'seq' | 'sentAt'> | undefined {
  const { data } = event;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const { seq, sentAt } = data;
  return typeof seq === 'number' && typeof sentAt === 'number' ? { seq, sentAt } : undefined;
}

/** One received event: its id (unique on the channel) and its seq, if the publisher sent it. */
export interface Received {
  id: string;
  seq?: number;
}

export interface PaneView {
  connection: StatusChange;
  /** Oldest first, the last MAX_RECEIVED. */
  received: Received[];
  stats: SubscriptionStats;
  /**
   * Receive time − `sentAt` of live events (the client's rule: not those caught up after going
   * offline): for the queue pane this includes the relay job.
   */
  endToEnd: { p50?: number; p95?: number };
}

export type Metric = 'latency' | 'requestsPerEvent' | 'bytesPerEvent';
export type Series = Record<MechanismId, Array<number | null>>;

/** One point a second per mechanism and metric; `null` where there is nothing to show yet. */
export interface Samples {
  /** Unix seconds: uPlot's time axis. */
  t: number[];
  series: Record<Metric, Series>;
}

export interface ComparisonView {
  panes: Record<MechanismId, PaneView>;
  samples: Samples;
  /** The six subscriptions are open from the channels' heads: publishing now reaches all six. */
  ready: boolean;
  offline: boolean;
}

/** What the sampler reads from one subscription each second. */
export interface PaneSample {
  stats: SubscriptionStats;
  /** End-to-end p50 over the most recent events. */
  recentLatency?: number;
}

export type ComparisonAction =
  | { type: 'restart' }
  | { type: 'ready' }
  | { type: 'status'; mechanism: MechanismId; change: StatusChange }
  | {
      type: 'event';
      mechanism: MechanismId;
      received: Received;
      endToEnd: PaneView['endToEnd'];
      stats: SubscriptionStats;
    }
  | { type: 'sample'; t: number; panes: Record<MechanismId, PaneSample> }
  | { type: 'offline'; offline: boolean };

function perMechanism<T>(make: (mechanism: MechanismId) => T): Record<MechanismId, T> {
  return Object.fromEntries(MECHANISM_IDS.map((id) => [id, make(id)])) as Record<MechanismId, T>;
}

const EMPTY_PANE: PaneView = {
  connection: { status: 'connecting' },
  received: [],
  stats: EMPTY_STATS,
  endToEnd: {},
};

export const INITIAL_COMPARISON: ComparisonView = {
  panes: perMechanism(() => EMPTY_PANE),
  samples: {
    t: [],
    series: {
      latency: perMechanism(() => []),
      requestsPerEvent: perMechanism(() => []),
      bytesPerEvent: perMechanism(() => []),
    },
  },
  ready: false,
  offline: false,
};

/** Cost per delivered event so far; undefined until one is delivered. */
function perEvent(total: number, events: number): number | null {
  return events === 0 ? null : total / events;
}

function appendSample(
  samples: Samples,
  t: number,
  panes: Record<MechanismId, PaneSample>,
): Samples {
  const keep = <T>(values: T[], value: T) => [...values, value].slice(-MAX_SAMPLES);
  const next = (metric: Metric, read: (sample: PaneSample) => number | null) =>
    perMechanism((id) => keep(samples.series[metric][id], read(panes[id])));
  return {
    t: keep(samples.t, t),
    series: {
      latency: next('latency', ({ recentLatency }) => recentLatency ?? null),
      requestsPerEvent: next('requestsPerEvent', ({ stats }) =>
        perEvent(stats.requests, stats.events),
      ),
      bytesPerEvent: next('bytesPerEvent', ({ stats }) => perEvent(stats.bytesIn, stats.events)),
    },
  };
}

function updatePane(
  view: ComparisonView,
  mechanism: MechanismId,
  change: (pane: PaneView) => PaneView,
): ComparisonView {
  return { ...view, panes: { ...view.panes, [mechanism]: change(view.panes[mechanism]) } };
}

export function reduceComparison(view: ComparisonView, action: ComparisonAction): ComparisonView {
  switch (action.type) {
    case 'restart':
      return INITIAL_COMPARISON;
    case 'ready':
      return { ...view, ready: true };
    case 'status':
      return updatePane(view, action.mechanism, (pane) => ({ ...pane, connection: action.change }));
    case 'event':
      return updatePane(view, action.mechanism, (pane) => ({
        ...pane,
        received: [...pane.received, action.received].slice(-MAX_RECEIVED),
        endToEnd: action.endToEnd,
        stats: action.stats,
      }));
    case 'sample':
      return {
        ...view,
        panes: perMechanism((id) => ({ ...view.panes[id], stats: action.panes[id].stats })),
        samples: appendSample(view.samples, action.t, action.panes),
      };
    case 'offline':
      return { ...view, offline: action.offline };
  }
}
