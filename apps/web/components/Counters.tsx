import type { SubscriptionStats } from '@pushpull/client';

const LABELS: Record<keyof SubscriptionStats, string> = {
  requests: 'Requests',
  bytesIn: 'Bytes in',
  events: 'Events',
  duplicatesDropped: 'Duplicates dropped',
  reconnects: 'Reconnects',
  resets: 'Resets',
  replayed: 'Replayed',
  oldestReplayAgeMs: 'Oldest replayed (s)',
  latencyP50Ms: 'Live latency p50 (ms)',
  latencyP95Ms: 'Live latency p95 (ms)',
};

const EXPLANATIONS: Partial<Record<keyof SubscriptionStats, string>> = {
  replayed: 'Events already in the log when this connection began catching up',
  oldestReplayAgeMs: 'How long after its publish the oldest replayed event arrived',
  latencyP50Ms: 'Publish → receive, live events only',
  latencyP95Ms: 'Publish → receive, live events only',
};

// Fixed order, so the grid does not reshuffle when the latencies first appear.
const ORDER = Object.keys(LABELS) as Array<keyof SubscriptionStats>;

function show(key: keyof SubscriptionStats, value: number | undefined): string {
  if (value === undefined) return '–';
  // Replays are seconds or minutes old: milliseconds would only be noise.
  if (key === 'oldestReplayAgeMs') return (value / 1000).toFixed(1);
  return String(Math.round(value));
}

/** What the subscription has cost so far, as the client counts it. */
export function Counters({ stats }: { stats: SubscriptionStats }) {
  return (
    <dl aria-label="Counters" className="counters">
      {ORDER.map((key) => (
        <div key={key} className="counter">
          <dt title={EXPLANATIONS[key]}>{LABELS[key]}</dt>
          <dd data-testid={`counter-${key}`}>{show(key, stats[key])}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Says once, under the counters, why latency and replays are counted apart. */
export function LiveLatencyNote() {
  return (
    <p className="hint counters-note">
      Latency counts live events only: those published after this connection began catching up. What
      it caught up on (the backlog when the page opened, what was missed while offline or
      reconnecting) is counted as replayed, with the age of the oldest.
    </p>
  );
}
