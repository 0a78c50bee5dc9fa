'use client';

import { MECHANISM_IDS } from '@pushpull/contracts';
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { Metric, Samples } from '@/hooks/comparison-view';
import { useComparison } from '@/hooks/useComparison';
import { usePublisher } from '@/hooks/usePublisher';
import { viaQueueChannel } from '@/lib/compare-params';
import { fallbackKey } from '@/lib/fallback-urls';
import { SERIES_COLORS, SERIES_LABELS } from '@/lib/compare-series';
import { ApiInstance } from './ApiInstance';
import { ChannelForm } from './ChannelForm';
import { CompareChart, type ChartSeries } from './CompareChart';
import { ComparePane } from './ComparePane';
import { OfflineToggle } from './OfflineToggle';
import { PublisherControl } from './PublisherControl';
import './compare.css';
import './mechanism-page.css';

interface ComparePageProps {
  /** API origin, read by the server per request (`?api=` or the first configured) and handed down. */
  apiUrl: string;
  /** Every configured API origin, `apiUrl` first: the failover order for the client. */
  apiUrls: string[];
  channel: string;
  intervalMs: number;
}

/** Every chart draws the six mechanisms in the same order and colours as the panes. */
const SERIES: readonly ChartSeries[] = MECHANISM_IDS.map((id) => ({
  label: SERIES_LABELS[id],
  stroke: SERIES_COLORS[id],
}));

const CHARTS: ReadonlyArray<{ metric: Metric; title: string; testId: string }> = [
  { metric: 'latency', title: 'Latency (ms)', testId: 'chart-latency' },
  { metric: 'requestsPerEvent', title: 'Requests per delivered event', testId: 'chart-requests' },
  { metric: 'bytesPerEvent', title: 'Bytes per delivered event', testId: 'chart-bytes' },
];

function chartData(samples: Samples, metric: Metric): uPlot.AlignedData {
  return [samples.t, ...MECHANISM_IDS.map((id) => samples.series[metric][id])];
}

/**
 * /compare: one publisher, one offline toggle, and all six mechanisms following the same events,
 * each with its own counters, then charts of what each costs over time.
 */
export function ComparePage({ apiUrl, apiUrls, channel, intervalMs }: ComparePageProps) {
  const comparison = useComparison({
    apiUrl,
    fallbacks: fallbackKey(apiUrl, apiUrls),
    channel,
    intervalMs,
  });
  const publisher = usePublisher(apiUrl, channel);
  const { samples } = comparison;
  const data = useMemo(
    () => Object.fromEntries(CHARTS.map(({ metric }) => [metric, chartData(samples, metric)])),
    [samples],
  ) as Record<Metric, uPlot.AlignedData>;

  return (
    <article className="compare-page">
      <header className="mechanism-header">
        <h1>All six, side by side</h1>
        <p className="summary">
          One publisher sends numbered events; every mechanism follows the same channel and shows
          what it received and what that cost. The message-queue pane receives each event through a
          relay job, so its end-to-end latency (receive time minus send time) shows what the queue
          adds.
        </p>
        <div className="mechanism-toolbar">
          <ChannelForm channel={channel} />
          <p className="target">
            <ApiInstance apiUrl={apiUrl} apiUrls={apiUrls} /> · polling every {intervalMs} ms
          </p>
        </div>
      </header>

      <section className="panel compare-controls" aria-label="Publisher">
        <div>
          <h2>Publisher</h2>
          <PublisherControl publisher={publisher} ready={comparison.ready} />
        </div>
        <div>
          <h2>Network</h2>
          <OfflineToggle
            offline={comparison.offline}
            onChange={comparison.setOffline}
            hint="Drops all six connections; publishing goes on. Unchecking resumes each from its last event."
          />
        </div>
      </section>

      <div className="compare-grid">
        {MECHANISM_IDS.map((id) => (
          <ComparePane
            key={id}
            mechanism={id}
            pane={comparison.panes[id]}
            channel={id === 'message-queue' ? viaQueueChannel(channel) : channel}
          />
        ))}
      </div>

      <section className="panel">
        <h2>Over time</h2>
        <p className="hint compare-charts-note">
          Sampled every second. Latency is end-to-end p50 over each mechanism&apos;s last 20 live
          events (what a pane catches up on after going offline counts as replayed, not as latency);
          requests and bytes are totals so far divided by the events delivered.
        </p>
        <div className="compare-charts">
          {CHARTS.map(({ metric, title, testId }) => (
            <CompareChart
              key={metric}
              title={title}
              testId={testId}
              series={SERIES}
              data={data[metric]}
            />
          ))}
        </div>
      </section>
    </article>
  );
}
