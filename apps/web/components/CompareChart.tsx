'use client';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  stroke: string;
}

interface CompareChartProps {
  /** The chart's name, for its heading and for assistive technology. */
  title: string;
  testId: string;
  series: readonly ChartSeries[];
  /** uPlot's aligned data: x (Unix seconds) first, then one array per series. */
  data: uPlot.AlignedData;
  height?: number;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

function options(series: readonly ChartSeries[], width: number, height: number): uPlot.Options {
  return {
    width,
    height,
    // A line per mechanism; gaps (no event yet) are bridged so single publishes still draw a line.
    series: [
      {},
      ...series.map(({ label, stroke }) => ({ label, stroke, width: 2, spanGaps: true })),
    ],
    axes: [
      {},
      {
        size: 56,
        values: (_chart: uPlot, splits: number[]) => splits.map((v) => compact.format(v)),
      },
    ],
    scales: { y: { range: (_chart, min, max) => [0, Math.max(1, max ?? min ?? 1) * 1.1] } },
    // Labels only: six live readouts under each chart are noise; the panes hold the numbers.
    legend: { live: false },
  };
}

/**
 * A uPlot line chart: created once on mount, fed with `setData`, resized with its container and
 * destroyed on unmount. uPlot draws on a canvas, so the wrapper carries role="img" and a name.
 */
export function CompareChart({ title, testId, series, data, height = 220 }: CompareChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);

  // Declared first: on mount it records the data before the chart below is created with it.
  useEffect(() => {
    latest.current = data;
    chart.current?.setData(data);
  }, [data]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const plot = new uPlot(options(series, element.clientWidth, height), latest.current, element);
    chart.current = plot;
    const resize = new ResizeObserver(() => {
      const width = element.clientWidth;
      if (width > 0 && width !== plot.width) plot.setSize({ width, height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [series, height]);

  return (
    <figure className="compare-chart">
      <figcaption>{title}</figcaption>
      <div ref={container} role="img" aria-label={title} data-testid={testId} />
    </figure>
  );
}
