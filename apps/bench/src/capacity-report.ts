import type { CapacityRow, CapacityStep } from './capacity';
import { isPull, wireOf, type CapacityPlan } from './capacity-plan';
import { fixed, machine, percent } from './report';

const minutes = (seconds: number) =>
  `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;

/** Deliveries per second of server CPU: what one core would deliver if the server were all it ran. */
export const perCpuSecond = (s: CapacityStep | null) =>
  s?.serverCpuMsPer1000 ? 1e6 / s.serverCpuMsPer1000 : Number.NaN;

const perRequest = (s: CapacityStep) =>
  s.serverCpuMsPer1000Requests === undefined ? '–' : fixed(s.serverCpuMsPer1000Requests);

const stepLine = (row: CapacityRow, s: CapacityStep) =>
  s.latencyMs
    ? `| ${row.label} | ${s.rate} | ${fixed(s.deliveriesPerSecond ?? Number.NaN, 0)} | ${s.latencyMs.p50} | ${s.latencyMs.p99} | ${s.lost} | ${s.late} | ${fixed(s.serverCpuMsPer1000 ?? Number.NaN)} | ${perRequest(s)} | ${fixed(s.wireBytesPerDelivery ?? Number.NaN, 0)} | ${percent(s.cpu!.serverCpuShare)} / ${percent(s.cpu!.loadCpuShare)} | ${s.cpu!.saturated} | ${s.over ? 'yes' : 'no'}${s.tries === 2 ? ' (2 tries)' : ''} |`
    : `| ${row.label} | ${s.rate} | – | – | – | – | – | – | – | – | – | – | failed: ${s.error ?? 'unknown'} |`;

/**
 * Each pushpull row against each baseline and peer of its wire (the SSE servers stand beside
 * NDJSON streaming too), at the pushpull row's first step — every row ran it — and the same step
 * of the other: server CPU per delivery, per request for the pull wires, RSS per idle connection.
 * Under 1.0, pushpull costs less.
 */
export function besideRatios(rows: CapacityRow[]): string[] {
  const x = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0
      ? `${(a / b).toFixed(2)}×`
      : '–';
  const lines = rows
    .filter((r) => r.kind === 'pushpull')
    .flatMap((m) =>
      rows
        .filter((other) => other.kind !== 'pushpull' && other.like === wireOf(m.like))
        .map((other) => {
          const at = m.steps[0];
          const theirs = other.steps.find((s) => s.rate === at?.rate);
          const requestRatio = isPull(m.like)
            ? x(at?.serverCpuMsPer1000Requests, theirs?.serverCpuMsPer1000Requests)
            : '–';
          return `| ${m.label} vs ${other.label} (${other.kind}) | ${at ? `${at.rate}/s` : '–'} | ${x(at?.serverCpuMsPer1000, theirs?.serverCpuMsPer1000)} | ${requestRatio} | ${x(m.rssKiBPerIdleConnection, other.rssKiBPerIdleConnection)} |`;
        }),
    );
  if (lines.length === 0) return [];
  return [
    '| pushpull vs baseline or peer | at | server CPU per delivery | server CPU per request | RSS per idle connection |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...lines,
    '',
  ];
}

/** The highest sustained step per row, then every step that ran. */
export function capacityMarkdown(
  plan: CapacityPlan,
  rows: CapacityRow[],
  date: Date,
  totalSeconds: number,
): string {
  const m = machine();
  return [
    '# Bench: capacity',
    '',
    `${date.toISOString()} · ${m.cores} cores (${m.cpu}) · Node ${m.node} · ${m.platform} · took ${minutes(totalSeconds)}`,
    '',
    `Per row, one server (pushpull's API, a baseline or a peer) pinned to core 0 and ${plan.pushSubscribers} lean subscribers ` +
      `(${plan.pollingSubscribers} pollers every ${plan.pollIntervalMs} ms) on core 1, connected once; the ` +
      `publish rate then steps through ${plan.rates.join(', ')} events/s of ${plan.payloadBytes} B, ` +
      `${plan.stepSeconds} s a step plus at most ${plan.drainSeconds} s of drain (${plan.warmUpSeconds ? `after ${plan.warmUpSeconds} s of unmeasured warm-up at the first rate` : 'no warm-up'}), until a step's p99 reaches ` +
      `${plan.p99LimitMs} ms (polling: ${plan.pollIntervalMs + plan.p99LimitMs} ms, its interval ` +
      `plus that, since a poller sees an event up to an interval late by design) or a delivery is lost ` +
      `or late, on two tries. **Sustained** is the last step ` +
      `under that. Chart: [capacity.html](capacity.html).`,
    '',
    '| row | subscribers | sustained events/s | deliveries/s (one core) | p99 ms | server CPU ms/1000 deliveries | deliveries per CPU-second | server CPU ms/1000 requests | wire bytes/delivery | RSS KiB/idle conn | heap KiB/idle conn | stopped at |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => {
      const s = r.sustained;
      const stop = r.error
        ? `failed: ${r.error}`
        : (() => {
            const over = r.steps.find((x) => x.over);
            if (!over) return 'every step held';
            return over.latencyMs
              ? `${over.rate}/s: p99 ${over.latencyMs.p99} ms, lost ${over.lost}, late ${over.late}`
              : `${over.rate}/s: ${over.error}`;
          })();
      return `| ${r.label} | ${r.subscribers} | ${s ? s.rate : 'none'} | ${fixed(s?.deliveriesPerSecond ?? Number.NaN, 0)} | ${s?.latencyMs?.p99 ?? '–'} | ${fixed(s?.serverCpuMsPer1000 ?? Number.NaN)} | ${fixed(perCpuSecond(s), 0)} | ${s ? perRequest(s) : '–'} | ${fixed(s?.wireBytesPerDelivery ?? Number.NaN, 0)} | ${fixed(r.rssKiBPerIdleConnection ?? Number.NaN)} | ${fixed(r.heapKiBPerIdleConnection ?? Number.NaN)} | ${stop} |`;
    }),
    '',
    '**Deliveries/s (one core)**: deliveries made in the sustained step over its publishing ' +
      'time (all of them arrived, within the limit), the server on its one pinned core. **Deliveries per CPU-second**: 1 000 000 / ' +
      'server CPU-ms per 1 000 deliveries, what a core would deliver if the server had it to itself. ' +
      '**Per 1 000 requests** (the pull rows: a poller asks every interval whether or not an event ' +
      'came, so per delivery falls as the rate rises while per request does not): server CPU over ' +
      "the requests the load processes sent in the step's window plus the publishes. **Wire " +
      'bytes**: what the load processes read from their sockets (`/proc/<pid>/io` `rchar`) per ' +
      'delivery: HTTP headers, SSE / NDJSON / engine.io / WebSocket framing included, TCP/IP ' +
      'headers not (and a few IPC bytes). **RSS** (every row, from /proc; nginx master and worker ' +
      'summed) and **heap** (the API only, from its /metrics: the baselines and peers have none) per idle ' +
      'connection: growth from the server alone to all subscribers connected, before publishing.',
    '',
    ...besideRatios(rows),
    '| row | events/s | deliveries/s | p50 ms | p99 ms | lost | late | server CPU ms/1000 deliveries | server CPU ms/1000 requests | wire bytes/delivery | server / load CPU | saturated | over |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows.flatMap((r) => r.steps.map((s) => stepLine(r, s))),
    '',
  ].join('\n');
}
