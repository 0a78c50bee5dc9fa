// docs/bench/capacity.html: sustained deliveries/s and server CPU per delivery per row (bars
// coloured by kind: pushpull, baseline, peer), and p99 against the publish rate per row
// (pushpull's lines solid, the baselines' dashed, the peers' dotted), drawn by uPlot, inlined like
// ramp.html so the file opens anywhere with no network.
import { readFileSync } from 'node:fs';
import type { CapacityRow } from './capacity';
import type { CapacityPlan } from './capacity-plan';
import { machine } from './report';

const inline = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');

// Fourteen rows: one colour each, so no two lines of the p99 chart share one.
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
  '#1e3a8a',
  '#7c2d12',
  '#0f766e',
  '#a21caf',
  '#000000',
  '#94a3b8',
];

const KINDS: Array<{ kind: CapacityRow['kind']; label: string; fill: string; dash: number[] }> = [
  { kind: 'pushpull', label: 'pushpull', fill: '#2563eb', dash: [] },
  { kind: 'baseline', label: 'baseline (the floor)', fill: '#9ca3af', dash: [8, 4] },
  { kind: 'peer', label: 'peer', fill: '#ea580c', dash: [2, 3] },
];

function chartData(plan: CapacityPlan, rows: CapacityRow[]) {
  const sustained = (r: CapacityRow) => Math.round(r.sustained?.deliveriesPerSecond ?? 0);
  // At the first rate every row ran (1 event/s: for a poller, one event a request).
  const cpuAtFirstRate = (r: CapacityRow) =>
    r.steps.find((s) => s.rate === plan.rates[0])?.serverCpuMsPer1000 ?? null;
  // One bar series per kind, null where a row is of another: the bar's colour says its kind.
  const byKind = (value: (r: CapacityRow) => number | null) =>
    KINDS.filter((k) => rows.some((r) => r.kind === k.kind)).map((k) => ({
      label: k.label,
      fill: k.fill,
      values: rows.map((r) => (r.kind === k.kind ? value(r) : null)),
    }));
  return {
    labels: rows.map((r) => r.label),
    bars: byKind(sustained),
    cpu: byKind(cpuAtFirstRate),
    firstRate: plan.rates[0],
    rates: plan.rates,
    series: rows.map((r, i) => ({
      label: r.label,
      colour: COLOURS[i % COLOURS.length]!,
      dash: KINDS.find((k) => k.kind === r.kind)?.dash ?? [],
      p99: plan.rates.map((rate) => r.steps.find((s) => s.rate === rate)?.latencyMs?.p99 ?? null),
    })),
    limitMs: plan.p99LimitMs,
  };
}

// Runs in the page: bars need uPlot's bar path builder; the x axis is the row's index.
const PAGE_SCRIPT = `
const { labels, bars, cpu, firstRate, rates, series, limitMs } = JSON.parse(document.getElementById('capacity-data').textContent);
const count = (v) => v == null ? '' : Number(v).toLocaleString('en');
function rowBars(title, yLabel, series, yScale, element) {
  new uPlot({
    title,
    // The labels slant down to the right: room on the right for the last one.
    width: 920, height: 400, legend: { live: false }, padding: [null, 70, null, null],
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: yScale },
    axes: [
      { splits: () => labels.map((_, i) => i), values: (u, splits) => splits.map((i) => labels[i] ?? ''), rotate: -35, size: 110 },
      { label: yLabel, size: 80, values: (u, splits) => splits.map(count) },
    ],
    series: [{ label: 'row' }, ...series.map((b) => ({ label: b.label, fill: b.fill, stroke: b.fill, paths: uPlot.paths.bars({ size: [0.7] }), points: { show: false } }))],
  }, [labels.map((_, i) => i), ...series.map((b) => b.values)], element);
}
rowBars('Sustained deliveries/s on one server core (p99 under the limit, nothing lost or late)',
  'deliveries/s', bars, {}, document.getElementById('sustained'));
rowBars('Server CPU-ms per 1 000 deliveries at ' + firstRate + ' event/s (lower is cheaper; log scale)',
  'CPU-ms per 1 000 (log)', cpu, { distr: 3, log: 10, range: (u, min, max) => [min / 2, max * 2] }, document.getElementById('cpu'));
new uPlot({
  title: 'p99 latency against the publish rate', width: 920, height: 380, legend: { live: false },
  scales: { x: { time: false, distr: 3, log: 2 }, y: { distr: 3, log: 10 } },
  axes: [
    { label: 'events/s (each to every subscriber)', splits: () => rates, values: (u, splits) => splits.map(count) },
    { label: 'p99, ms (log)', size: 70, values: (u, splits) => splits.map(count) },
  ],
  series: [{ label: 'events/s' },
    ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, dash: s.dash, points: { size: 7, fill: s.colour } })),
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
<p>${date.toISOString()} · ${m.cores} cores (${m.cpu}) · Node ${m.node}. pushpull's rows, each wire's baseline (the
least a server of that wire can do) and its peers; ${plan.pushSubscribers} subscribers per
push row (${plan.pollingSubscribers} pollers), the publish rate stepped through ${plan.rates.join(', ')} events/s,
${plan.stepSeconds} s a step; a row stops at its first step with p99 at ${plan.p99LimitMs} ms or more (polling:
${plan.pollIntervalMs + plan.p99LimitMs} ms, its interval plus that), or a delivery
lost or late, on two tries. A bar at zero: not even the first step held. In the p99 chart pushpull's lines are
solid, the baselines' dashed, the peers' dotted. The table is in capacity.md.</p>
<div id="sustained"></div>
<div id="cpu"></div>
<div id="p99"></div>
<script type="application/json" id="capacity-data">${JSON.stringify(chartData(plan, rows))}</script>
<!-- prettier-ignore -->
<script>${inline('uPlot.iife.min.js')}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
