import type { SubscriptionStats } from '@pushpull/client';

const LABELS: Record<keyof SubscriptionStats, string> = {
  requests: 'Requests',
  bytesIn: 'Bytes in',
  events: 'Events',
  duplicatesDropped: 'Duplicates dropped',
  reconnects: 'Reconnects',
  resets: 'Resets',
  latencyP50Ms: 'Latency p50 (ms)',
  latencyP95Ms: 'Latency p95 (ms)',
};

// Fixed order, so the grid does not reshuffle when the latencies first appear.
const ORDER = Object.keys(LABELS) as Array<keyof SubscriptionStats>;

function show(value: number | undefined): string {
  return value === undefined ? '–' : String(Math.round(value));
}

/** What the subscription has cost so far, as the client counts it. */
export function Counters({ stats }: { stats: SubscriptionStats }) {
  return (
    <dl aria-label="Counters" className="counters">
      {ORDER.map((key) => (
        <div key={key} className="counter">
          <dt>{LABELS[key]}</dt>
          <dd data-testid={`counter-${key}`}>{show(stats[key])}</dd>
        </div>
      ))}
    </dl>
  );
}
