// What the `capacity` scenario runs: its plan (rates, counts, limits; flags make a trial) and its
// rows in order — pushpull's rows of each wire, then that wire's baseline, then its peers.
import type { MechanismId } from '@pushpull/contracts';
import type { BesideRow } from './run-peer';

export interface CapacityPlan {
  mechanisms: MechanismId[];
  /** Also the rows beside pushpull's: the baselines and the peers (`--no-peers`: neither). */
  peers: boolean;
  /** Events published per second, one step each, on the same subscribers. */
  rates: number[];
  stepSeconds: number;
  /** Publishing at the first rate, unmeasured, before the first step. */
  warmUpSeconds: number;
  /** After each step, the longest wait for the missing deliveries. */
  drainSeconds: number;
  p99LimitMs: number;
  payloadBytes: number;
  pushSubscribers: number;
  pollingSubscribers: number;
  pollIntervalMs: number;
  processes: number;
  /** True when flags changed the plan: a trial, kept out of docs/bench. */
  custom: boolean;
}

/**
 * Sized for ≤ 15 minutes on 2 cores: about 10 s to connect 10 000 subscribers, 4 s a step and
 * at most 4 s of drain, every rate doubling so a row takes a handful of steps; fourteen rows. The
 * message queue is left out: its wire is SSE, and its relay jobs are `standard`'s.
 */
export const DEFAULT_CAPACITY: CapacityPlan = {
  mechanisms: ['sse', 'streaming', 'websocket', 'long-polling', 'polling'],
  peers: true,
  // Past 32/s only polling is left (its cost is per request, so it holds longer): to find its end.
  rates: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  stepSeconds: 4,
  warmUpSeconds: 2,
  drainSeconds: 4,
  p99LimitMs: 250,
  payloadBytes: 1024,
  pushSubscribers: 10_000,
  pollingSubscribers: 1000,
  pollIntervalMs: 1000,
  processes: 4,
  custom: false,
};

/**
 * `--only=sse,websocket --rates=1,2 --seconds=3 --subscribers=2000 --pollers=200 --no-peers` for a
 * trial.
 */
export function capacityPlan(flags: string[]): CapacityPlan {
  const flag = (name: string) =>
    flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
  const list = (value: string) => value.split(',').filter(Boolean);
  const only = flag('only');
  const rates = flag('rates');
  const seconds = flag('seconds');
  const subscribers = flag('subscribers');
  const pollers = flag('pollers');
  const noPeers = flags.includes('--no-peers');
  return {
    ...DEFAULT_CAPACITY,
    ...(only ? { mechanisms: list(only) as MechanismId[] } : {}),
    ...(rates ? { rates: list(rates).map(Number) } : {}),
    ...(seconds ? { stepSeconds: Number(seconds) } : {}),
    ...(subscribers ? { pushSubscribers: Number(subscribers) } : {}),
    ...(pollers ? { pollingSubscribers: Number(pollers) } : {}),
    ...(noPeers ? { peers: false } : {}),
    custom: Boolean(only ?? rates ?? seconds ?? subscribers ?? pollers) || noPeers,
  };
}

/**
 * A poller sees an event up to one interval after it is published, by design: its limit is the
 * interval plus the push wires' limit, so it measures the server, not the interval.
 */
export const p99Limit = (plan: CapacityPlan, like: MechanismId) =>
  like === 'polling' ? plan.pollIntervalMs + plan.p99LimitMs : plan.p99LimitMs;

/** The pull wires: a request per answer, so their cost is also reported per request. */
export const isPull = (like: MechanismId) => like === 'polling' || like === 'long-polling';

/**
 * The servers a pushpull mechanism is compared with are those of its wire; NDJSON streaming is the
 * same one-way stream as SSE framed otherwise, so the SSE servers (raw SSE, nchan's, better-sse)
 * stand beside it too.
 */
export const wireOf = (mechanism: MechanismId): MechanismId =>
  mechanism === 'streaming' ? 'sse' : mechanism;

/** One row to run: pushpull's API for a mechanism, or a baseline or peer beside it. */
export type CapacityRowSpec =
  { kind: 'pushpull'; label: MechanismId; like: MechanismId } | BesideRow;

/**
 * The rows in run and report order, grouped by wire: pushpull's rows of the wire, then the rows
 * beside them in the order given (the baseline, then the peers) — sse, streaming, raw-sse, nchan
 * sse, better-sse, then websocket, raw-ws, … `beside` is already cut to those installed.
 */
export function capacityRows(mechanisms: MechanismId[], beside: BesideRow[]): CapacityRowSpec[] {
  const wires = [...new Set(mechanisms.map(wireOf))];
  return wires.flatMap((wire) => [
    ...mechanisms
      .filter((m) => wireOf(m) === wire)
      .map((m) => ({ kind: 'pushpull' as const, label: m, like: m })),
    ...beside.filter((r) => r.like === wire),
  ]);
}
