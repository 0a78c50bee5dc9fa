// docs/bench/ramp.html: p99 and p50 against subscribers, one line per mechanism, drawn by uPlot.
// uPlot's script and stylesheet are inlined, so the file opens anywhere with no network and no build
// (and marked prettier-ignore, so formatting the docs leaves the minified code as it ships).
import { readFileSync } from 'node:fs';
import { machine, percent } from './report';
import type { MechanismRamp, RampPlan } from './ramp';

const inline = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');

const escape = (text: string) =>
  text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

// One colour per mechanism, the same in both charts.
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

/** uPlot wants one shared x array: every step that ran, with null where a mechanism had stopped. */
function chartData(ramps: MechanismRamp[]) {
  const xs = [...new Set(ramps.flatMap((r) => r.steps.map((s) => s.subscribers)))].sort(
    (a, b) => a - b,
  );
  const column = (r: MechanismRamp, pick: 'p50' | 'p99') =>
    xs.map((x) => r.steps.find((s) => s.subscribers === x)?.result?.latencyMs[pick] ?? null);
  return {
    xs,
    series: ramps.map((r, i) => ({
      label: r.mechanism,
      colour: COLOURS[i % COLOURS.length]!,
      p50: column(r, 'p50'),
      p99: column(r, 'p99'),
    })),
  };
}

// Runs in the page: two charts on log scales (subscribers double each step; latency spans decades).
const PAGE_SCRIPT = `
const { xs, series, limitMs } = JSON.parse(document.getElementById('ramp-data').textContent);
const count = (v) => v == null ? '' : Number(v).toLocaleString('en');
function chart(target, title, pick, withLimit) {
  const lines = series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, points: { size: 7, fill: s.colour } }));
  const data = [xs, ...series.map((s) => s[pick])];
  if (withLimit) {
    lines.push({ label: limitMs + ' ms limit', stroke: '#6b7280', width: 1.5, dash: [6, 4], points: { show: false } });
    data.push(xs.map(() => limitMs));
  }
  new uPlot({
    title, width: 920, height: 380,
    // Labels only: the values are in the table below, and a static screenshot shows no cursor.
    legend: { live: false },
    scales: { x: { distr: 3, log: 2 }, y: { distr: 3, log: 10 } },
    axes: [
      { label: 'subscribers', splits: () => xs, values: (u, splits) => splits.map(count) },
      { label: 'latency, ms (log)', size: 70, values: (u, splits) => splits.map(count) },
    ],
    series: [{ label: 'subscribers' }, ...lines],
  }, data, document.getElementById(target));
}
chart('p99', 'p99 latency against subscribers', 'p99', true);
chart('p50', 'p50 latency against subscribers', 'p50', false);
`;

export function rampHtml(plan: RampPlan, ramps: MechanismRamp[], date: Date): string {
  const m = machine();
  const data = { ...chartData(ramps), limitMs: plan.p99LimitMs };
  const knees = ramps
    .map(
      (r) =>
        `<tr><td>${r.mechanism}</td><td>${r.knee.lastUnder ?? '–'}</td><td>${r.knee.firstOver ?? '–'}</td></tr>`,
    )
    .join('');
  const steps = ramps
    .flatMap((r) =>
      r.steps.map(({ subscribers, result, error }) =>
        result
          ? `<tr><td>${r.mechanism}</td><td>${subscribers}</td><td>${result.latencyMs.p50}</td><td>${result.latencyMs.p99}</td><td>${percent(result.cpu.serverCpuShare)}</td><td>${percent(result.cpu.loadCpuShare)}</td></tr>`
          : `<tr><td>${r.mechanism}</td><td>${subscribers}</td><td colspan="4">failed: ${escape(error ?? 'unknown')}</td></tr>`,
      ),
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>pushpull bench: latency against subscribers</title>
<!-- prettier-ignore -->
<style>${inline('uPlot.min.css')}</style>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; color: #111827; margin: 24px; max-width: 960px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  p { margin: 4px 0 12px; color: #374151; }
  table { border-collapse: collapse; margin: 8px 0 20px; }
  td, th { border: 1px solid #d1d5db; padding: 4px 12px; text-align: right; }
  td:first-child, th:first-child { text-align: left; }
  .uplot { margin-bottom: 24px; }
</style>
</head>
<body>
<h1>Latency against subscribers</h1>
<p>${date.toISOString()} · ${m.cores} cores (${m.cpu}) · Node ${m.node}. ${plan.rate} events/s of
${plan.payloadBytes} B, ${plan.stepSeconds} s a step; a mechanism stops at its first step with p99 over
${plan.p99LimitMs} ms or lost events, on two tries. Server and load core: the busy share of the API's core and of
the load generator's core while publishing; a load core near 100 % means the clients, not the server,
set the knee.</p>
<table><thead><tr><th>mechanism</th><th>knee: last step under ${plan.p99LimitMs} ms</th><th>first step over</th></tr></thead>
<tbody>${knees}</tbody></table>
<div id="p99"></div>
<div id="p50"></div>
<table><thead><tr><th>mechanism</th><th>subscribers</th><th>p50 ms</th><th>p99 ms</th><th>server core</th><th>load core</th></tr></thead>
<tbody>${steps}</tbody></table>
<script type="application/json" id="ramp-data">${JSON.stringify(data)}</script>
<!-- prettier-ignore -->
<script>${inline('uPlot.iife.min.js')}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
