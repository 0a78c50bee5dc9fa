import os from 'node:os';
import type { MechanismResult } from './result';
import { BASELINE_ROWS } from './run-baseline';
import { PEER_ROWS } from './run-peer';
import type { QueueThroughput } from './run-queue-throughput';
import type { Scenario } from './scenarios';

export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const percent = (share: number) =>
  Number.isFinite(share) ? `${Math.round(share * 100)} %` : '–';

/** A pushpull-client row is named for its client; lean rows are the server's figures. */
export const rowLabel = (r: MechanismResult) =>
  r.subscriberKind === 'pushpull-client' ? `${r.mechanism} · @pushpull/client` : r.mechanism;

/** Who ran out of CPU, and whether the row measures the server at all. */
export function verdict({ cpu, clientBound }: MechanismResult): string {
  const shared = [
    cpu.serverShared ? 'server core shared with other work' : '',
    cpu.loadShared ? 'load core shared with other work' : '',
  ].filter(Boolean);
  const text = shared.length ? `${cpu.saturated} (${shared.join(', ')})` : cpu.saturated;
  return clientBound ? `${text}: **not a measure of the server**` : text;
}

const LEGEND = [
  'Lean subscribers (raw sockets, parsing only what latency and counting need) unless a row says',
  '`@pushpull/client`: that row is what the client costs. **Server / load CPU**: the server',
  "process's CPU and the load processes' (subscribers and publisher) per second of publishing, from",
  "/proc; **core busy**: how busy each side's pinned core was, whoever used it. **Saturated**: the",
  'side whose pinned core was 90 % busy or more, by its own processes or by other work beside',
  'them (then it says "shared"); unpinned, whose own processes used 90 % of a core. A row whose',
  "load was saturated is **not a measure of the server** (its latencies are the load generator's).",
  '**Lost**: never delivered though an event stored after it reached the same subscriber;',
  '**late**: still missing when the bounded drain after publishing ended.',
  '',
].join('\n');

export function machine() {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function toMarkdown(
  scenario: Scenario,
  results: MechanismResult[],
  date: Date,
  throughput: QueueThroughput[],
): string {
  const m = machine();
  const lines = [
    `# Bench: ${scenario.name}`,
    '',
    `${date.toISOString()} · ${m.cores} cores (${m.cpu}) · Node ${m.node} · ${m.platform}`,
    '',
    `Open-loop publishing at ${scenario.rate} events/s of ${scenario.payloadBytes} B for ${scenario.seconds} s; latency from the intended send time.`,
    '',
    '| mechanism | subscribers | deliveries/s | p50 ms | p99 ms | max ms | requests/delivery | bytes/delivery | server CPU ms/1000 | server CPU ms/request | RSS KiB/idle conn | lost | late | dup | server / load CPU | server / load core busy | saturated |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map((r) =>
      [
        rowLabel(r),
        r.subscribers,
        fixed(r.deliveriesPerSecond, 0),
        r.latencyMs.p50,
        r.latencyMs.p99,
        r.latencyMs.max,
        fixed(r.requestsPerDelivery, 3),
        fixed(r.bytesPerDelivery, 0),
        fixed(r.serverCpuMsPer1000, 1),
        fixed(r.serverCpuMsPerRequest, 3),
        fixed(r.rssKiBPerIdleConnection, 1),
        r.lost,
        r.late,
        r.duplicates,
        `${percent(r.cpu.serverCpuShare)} / ${percent(r.cpu.loadCpuShare)}`,
        `${percent(r.cpu.serverCoreBusy)} / ${percent(r.cpu.loadCoreBusy)}`,
        verdict(r),
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .replace(/$/, ' |'),
    ),
    '',
    LEGEND,
    ...ratios(results),
    '| queue driver | relay jobs/s (closed loop) |',
    '| --- | ---: |',
    ...throughput.map((t) => `| ${t.driver} | ${fixed(t.jobsPerSecond, 0)} |`),
    '',
  ];
  return lines.join('\n');
}

/** Each mechanism against the bare server of its wire: 1.0 would be "costs nothing extra". */
function ratios(results: MechanismResult[]): string[] {
  const x = (a: number, c: number) =>
    Number.isFinite(a) && Number.isFinite(c) && c > 0 ? `${(a / c).toFixed(2)}×` : '–';
  // The floors, then the peers: what a team would run instead.
  const others = [...BASELINE_ROWS, ...PEER_ROWS].map(({ label, like }) => ({ name: label, like }));
  const rows = others.flatMap(({ name: baseline, like }) => {
    const m = results.find((r) => r.mechanism === like && r.subscriberKind === 'lean');
    const b = results.find((r) => r.mechanism === baseline);
    if (!m || !b) return [];
    return [
      `| ${like} vs ${baseline} | ${x(m.latencyMs.p50, b.latencyMs.p50)} | ${x(m.latencyMs.p99, b.latencyMs.p99)} | ${x(m.serverCpuMsPer1000, b.serverCpuMsPer1000)} | ${x(m.serverCpuMsPerRequest, b.serverCpuMsPerRequest)} | ${x(m.rssKiBPerIdleConnection, b.rssKiBPerIdleConnection)} |`,
    ];
  });
  if (rows.length === 0) return [];
  return [
    '| pushpull vs baseline or peer | p50 | p99 | server CPU per delivery | server CPU per request | RSS per idle connection |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ];
}
