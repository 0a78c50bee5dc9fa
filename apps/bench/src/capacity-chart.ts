// docs/bench/capacity.html: sustained deliveries/s per row (bars), and p99 against the publish rate
// per row, drawn by uPlot, inlined like ramp.html so the file opens anywhere with no network.
import { readFileSync } from 'node:fs';
import type { CapacityPlan, CapacityRow } from './capacity';
import { machine } from './report';

const inline = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');

const COLOURS = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#4b5563',
  '#ca8a04',
  '#db2777',
  '#65a30d',
];

function chartData(plan: CapacityPlan, rows: CapacityRow[]) {
  return {
    labels: rows.map((r) => r.label),
    sustained: rows.map((r) => Math.round(r.sustained?.deliveriesPerSecond ?? 0)),
    rates: plan.rates,
    series: rows.map((r, i) => ({
      label: r.label,
      colour: COLOURS[i % COLOURS.length]!,
      p99: plan.rates.map((rate) => r.steps.find((s) => s.rate === rate)?.latencyMs?.p99 ?? null),
    })),
    limitMs: plan.p99LimitMs,
  };
}

// Runs in the page: bars need uPlot's bar path builder; the x axis is the row's index.
const PAGE_SCRIPT = `
const { labels, sustained, rates, series, limitMs } = JSON.parse(document.getElementById('capacity-data').textContent);
const count = (v) => v == null ? '' : Number(v).toLocaleString('en');
new uPlot({
  title: 'Sustained deliveries/s on one server core (p99 under the limit, nothing lost or late)',
  width: 920, height: 380, legend: { show: false },
  scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
  axes: [
    { splits: () => labels.map((_, i) => i), values: (u, splits) => splits.map((i) => labels[i] ?? ''), rotate: -25, size: 90 },
    { label: 'deliveries/s', size: 80, values: (u, splits) => splits.map(count) },
  ],
  series: [{}, { label: 'sustained', fill: '#2563eb', stroke: '#1d4ed8', paths: uPlot.paths.bars({ size: [0.6] }), points: { show: false } }],
}, [labels.map((_, i) => i), sustained], document.getElementById('sustained'));
new uPlot({
  title: 'p99 latency against the publish rate', width: 920, height: 380, legend: { live: false },
  scales: { x: { time: false, distr: 3, log: 2 }, y: { distr: 3, log: 10 } },
  axes: [
    { label: 'events/s (each to every subscriber)', splits: () => rates, values: (u, splits) => splits.map(count) },
    { label: 'p99, ms (log)', size: 70, values: (u, splits) => splits.map(count) },
  ],
  series: [{ label: 'events/s' },
    ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, points: { size: 7, fill: s.colour } })),
    { label: limitMs + ' ms limit', stroke: '#6b7280', width: 1.5, dash: [6, 4], points: { show: false } }],
}, [rates, ...series.map((s) => s.p99), rates.map(() => limitMs)], document.getElementById('p99'));
`;

export function capacityHtml(plan: CapacityPlan, rows: CapacityRow[], date: Date): string {
  const m = machine();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>pushpull bench: capacity</title>
<!-- prettier-ignore -->
<style>${inline('uPlot.min.css')}</style>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; color: #111827; margin: 24px; max-width: 960px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  p { margin: 4px 0 12px; color: #374151; }
  .uplot { margin-bottom: 24px; }
</style>
</head>
<body>
<h1>Capacity: deliveries/s one server core sustains</h1>
<p>${date.toISOString()} · ${m.cores} cores (${m.cpu}) · Node ${m.node}. ${plan.pushSubscribers} subscribers per
push row (${plan.pollingSubscribers} pollers), the publish rate stepped through ${plan.rates.join(', ')} events/s,
${plan.stepSeconds} s a step; a row stops at its first step with p99 at ${plan.p99LimitMs} ms or more (polling:
${plan.pollIntervalMs + plan.p99LimitMs} ms, its interval plus that), or a delivery
lost or late, on two tries. A bar at zero: not even the first step held. The table is in capacity.md.</p>
<div id="sustained"></div>
<div id="p99"></div>
<script type="application/json" id="capacity-data">${JSON.stringify(chartData(plan, rows))}</script>
<!-- prettier-ignore -->
<script>${inline('uPlot.iife.min.js')}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
