import os from 'node:os';
import type { MechanismResult } from './result';
import { BASELINES } from './run-baseline';
import type { QueueThroughput } from './run-queue-throughput';
import type { Scenario } from './scenarios';

export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const percent = (share: number) => `${Math.round(share * 100)} %`;

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
    '| mechanism | subscribers | deliveries/s | p50 ms | p99 ms | max ms | requests/delivery | bytes/delivery | server CPU ms/1000 | server CPU ms/request | RSS KiB/idle conn | lost | dup | server / load core | client-bound |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map((r) =>
      [
        r.mechanism,
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
        r.duplicates,
        `${percent(r.serverCpuShare)} / ${percent(r.loadCpuShare)}`,
        r.clientBound ? 'yes' : 'no',
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .replace(/$/, ' |'),
    ),
    '',
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
  const rows = Object.entries(BASELINES).flatMap(([baseline, { like }]) => {
    const m = results.find((r) => r.mechanism === like);
    const b = results.find((r) => r.mechanism === baseline);
    if (!m || !b) return [];
    return [
      `| ${like} vs ${baseline} | ${x(m.latencyMs.p50, b.latencyMs.p50)} | ${x(m.latencyMs.p99, b.latencyMs.p99)} | ${x(m.serverCpuMsPer1000, b.serverCpuMsPer1000)} | ${x(m.serverCpuMsPerRequest, b.serverCpuMsPerRequest)} | ${x(m.rssKiBPerIdleConnection, b.rssKiBPerIdleConnection)} |`,
    ];
  });
  if (rows.length === 0) return [];
  return [
    '| ratio to baseline | p50 | p99 | server CPU per delivery | server CPU per request | RSS per idle connection |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ];
}
