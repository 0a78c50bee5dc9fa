// The `capacity` scenario: per mechanism, per baseline and per peer, one server and one set of
// subscribers (10 000 for the push wires, 1 000 pollers at 1 s), the publish rate stepped up on the
// same connections until p99 reaches the limit or a delivery is lost or late; the highest step under
// it is what one server core sustains.
import type { MechanismId } from '@pushpull/contracts';
import { readFileSync } from 'node:fs';
import {
  capacityRows,
  isPull,
  p99Limit,
  wireOf,
  type CapacityPlan,
  type CapacityRowSpec,
} from './capacity-plan';
import { cpuShares, cpuSnapshot, type CpuShares } from './cpu-window';
import { combine, startLoad, type Pinning } from './load-workers';
import { publishOpenLoop } from './publisher';
import { BASELINE_ROWS } from './run-baseline';
import { sample, type Sample, type ServerRow } from './run-load';
import { apiServerRow, startServer } from './run-mechanism';
import { besideRowsFor, besideServerRow, PEER_ROWS, startBeside } from './run-peer';

export interface CapacityStep {
  rate: number;
  /** p99 at or over the limit, a delivery lost or late, or the step failed. */
  over: boolean;
  /** 2 when the first try was over and the step ran again (the better try is kept). */
  tries?: number;
  error?: string;
  latencyMs?: { p50: number; p99: number; max: number };
  delivered?: number;
  deliveriesPerSecond?: number;
  lost?: number;
  late?: number;
  serverCpuMsPer1000?: number;
  /**
   * Requests the subscribers sent in the step's window (publishing and drain), counted by the load
   * processes: a poller asks every interval whether or not an event came.
   */
  requests?: number;
  /** The pull rows only: server CPU over the subscribers' requests plus the publishes. */
  serverCpuMsPer1000Requests?: number;
  /** Bytes the load processes read from their sockets per delivery; NaN where not counted. */
  wireBytesPerDelivery?: number;
  cpu?: CpuShares;
}

export interface CapacityRow {
  label: string;
  /** pushpull's mechanism, or for a baseline or peer the mechanism it stands beside. */
  like: MechanismId;
  kind: CapacityRowSpec['kind'];
  subscribers: number;
  /** RSS (and, for the API, V8 heap) growth per connected idle subscriber, in KiB. */
  rssKiBPerIdleConnection?: number;
  heapKiBPerIdleConnection?: number;
  steps: CapacityStep[];
  /** The highest step under the limit, null when even the first was over. */
  sustained: CapacityStep | null;
  /** Why the row has no steps (the server did not start, the subscribers did not connect). */
  error?: string;
}

/**
 * Bytes the processes read through read(2), from /proc/<pid>/io: the load processes' sockets,
 * HTTP headers and WebSocket framing included (TCP/IP headers not), plus their few IPC messages.
 * NaN where the kernel does not expose it.
 */
function bytesRead(pids: number[]): number {
  try {
    return pids.reduce((sum, pid) => {
      const io = readFileSync(`/proc/${pid}/io`, 'utf8');
      return sum + Number(/rchar: (\d+)/.exec(io)?.[1] ?? Number.NaN);
    }, 0);
  } catch {
    return Number.NaN;
  }
}

interface Running {
  row: ServerRow;
  stop: () => Promise<void>;
}

async function startRow(
  spec: CapacityRowSpec,
  subscribers: number,
  pins: Pinning,
): Promise<Running> {
  if (spec.kind === 'pushpull') {
    const { api, pid, stop } = await startServer('memory', pins);
    return { row: apiServerRow(spec.like, api.url, pid, subscribers), stop };
  }
  const running = await startBeside(spec, pins);
  return { row: besideServerRow(spec, running, subscribers), stop: running.stop };
}

/** The try under the limit if there is one, else the one with the lower p99. */
const better = (a: CapacityStep, b: CapacityStep) =>
  a.over !== b.over
    ? a.over
      ? b
      : a
    : (b.latencyMs?.p99 ?? Infinity) < (a.latencyMs?.p99 ?? Infinity)
      ? b
      : a;

const perConnection = (now: number, idle: number, n: number) =>
  Math.max(0, now - idle) / 1024 / Math.max(1, n);

async function runRow(
  plan: CapacityPlan,
  spec: CapacityRowSpec,
  pins: Pinning,
): Promise<CapacityRow> {
  const { label, like, kind } = spec;
  const subscribers = like === 'polling' ? plan.pollingSubscribers : plan.pushSubscribers;
  const limitMs = p99Limit(plan, like);
  const base: CapacityRow = { label, like, kind, subscribers, steps: [], sustained: null };
  let running: Running | undefined;
  try {
    running = await startRow(spec, subscribers, pins);
    const { row } = running;
    const idle = await sample(row);
    const load = await startLoad(
      { spec: row.subscriber, pollIntervalMs: plan.pollIntervalMs },
      subscribers,
      plan.processes,
      pins,
    );
    try {
      await row.ready?.();
      const connected = await sample(row);
      base.rssKiBPerIdleConnection = perConnection(
        connected.process.rssBytes,
        idle.process.rssBytes,
        subscribers,
      );
      const heap = (s: Sample) => s.metrics?.heapUsedBytes ?? Number.NaN;
      base.heapKiBPerIdleConnection = perConnection(heap(connected), heap(idle), subscribers);
      console.error(
        `  ${label}: ${subscribers} connected, RSS ${base.rssKiBPerIdleConnection.toFixed(1)} KiB each`,
      );
      let firstSeq = 0;
      const step = async (
        rate: number,
        seconds = plan.stepSeconds,
        warmUp = false,
      ): Promise<CapacityStep> => {
        await load.reset(firstSeq);
        const before = cpuSnapshot(row.serverPids, load.pids);
        const from = await sample(row);
        const readFrom = bytesRead(load.pids);
        const published = await publishOpenLoop({
          target: row.publish,
          rate,
          payloadBytes: plan.payloadBytes,
          seconds,
          firstSeq,
        });
        const cpu = cpuShares(before, cpuSnapshot(row.serverPids, load.pids), pins);
        const expected = { sent: published.sent, failedSeqs: published.failedSeqs };
        await load.drain(expected, plan.drainSeconds * 1000);
        const to = await sample(row);
        const readBytes = bytesRead(load.pids) - readFrom;
        const measured = combine(
          await load.measure({ ...expected, storedBefore: published.storedBefore }),
        );
        firstSeq += published.sent;
        const delivered = Math.max(1, measured.delivered);
        const serverCpuMs = (to.process.cpuSeconds - from.process.cpuSeconds) * 1000;
        const result: CapacityStep = {
          rate,
          over:
            measured.latencyMs.p99 >= limitMs ||
            measured.lost > 0 ||
            measured.late > 0 ||
            published.failedSeqs.length > 0,
          latencyMs: measured.latencyMs,
          delivered: measured.delivered,
          // Over the publishing window: the rate × subscribers a held step delivered. (Over
          // publishing and drain, a 4-event step published in 3.1 s would read 10 % high.)
          deliveriesPerSecond: measured.delivered / seconds,
          lost: measured.lost,
          late: measured.late,
          serverCpuMsPer1000: (serverCpuMs * 1000) / delivered,
          requests: measured.requests,
          // Publishes are requests the server answers too (a handful beside the polls), as in
          // `standard`'s per-request figure. A push wire's requests are its reconnects: no figure.
          ...(isPull(like) && {
            serverCpuMsPer1000Requests:
              (serverCpuMs * 1000) / Math.max(1, measured.requests + published.sent),
          }),
          wireBytesPerDelivery: readBytes / delivered,
          cpu,
        };
        console.error(
          `    ${warmUp ? 'warm-up ' : ''}${rate}/s: p50 ${measured.latencyMs.p50} ms, p99 ${measured.latencyMs.p99} ms, ` +
            `lost ${measured.lost}, late ${measured.late}, ${result.deliveriesPerSecond!.toFixed(0)} deliveries/s, ` +
            `server ${Math.round(cpu.serverCpuShare * 100)} % (saturated: ${cpu.saturated})${result.over ? ' — over' : ''}`,
        );
        return result;
      };
      // Unmeasured: the first burst after 10 000 connects pays for JIT and the connects' garbage
      // (in a first run every row's first try at 1/s was over and its retry under).
      await step(plan.rates[0]!, plan.warmUpSeconds, true);
      for (const rate of plan.rates) {
        let result = await step(rate);
        // One stall on a shared machine can put a short step over: over only on two tries.
        if (result.over) result = { ...better(result, await step(rate)), tries: 2 };
        base.steps.push(result);
        if (result.over) break;
      }
    } finally {
      await load.stop({ sent: 0, failedSeqs: [] });
    }
  } catch (error) {
    base.error = error instanceof Error ? error.message : String(error);
    console.error(`  ${label}: failed: ${base.error}`);
  } finally {
    await running?.stop();
  }
  base.sustained = base.steps.filter((s) => !s.over).at(-1) ?? null;
  return base;
}

export async function runCapacity(
  plan: CapacityPlan,
  pins: Pinning,
): Promise<{ rows: CapacityRow[]; totalSeconds: number }> {
  const started = Date.now();
  const beside = plan.peers
    ? besideRowsFor([...BASELINE_ROWS, ...PEER_ROWS], plan.mechanisms.map(wireOf))
    : [];
  const rows: CapacityRow[] = [];
  for (const spec of capacityRows(plan.mechanisms, beside)) {
    console.error(`  ${spec.kind === 'pushpull' ? '' : `${spec.kind} `}${spec.label}…`);
    rows.push(await runRow(plan, spec, pins));
  }
  return { rows, totalSeconds: (Date.now() - started) / 1000 };
}
