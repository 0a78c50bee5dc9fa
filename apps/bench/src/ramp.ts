// The `ramp` scenario: for each push mechanism, step subscribers up at the standard rate and
// payload until p99 passes the limit; the knee is the last step under it and the first over.
import { MECHANISM_IDS, type MechanismId } from '@pushpull/contracts';
import type { Pinning } from './load-workers';
import type { MechanismResult } from './result';
import { runMechanism } from './run-mechanism';
import type { Scenario } from './scenarios';

export interface RampPlan {
  mechanisms: MechanismId[];
  steps: number[];
  rate: number;
  payloadBytes: number;
  /** Publishing time per step: short, since each step is a fresh API and fresh subscribers. */
  stepSeconds: number;
  p99LimitMs: number;
  /** True when flags changed the plan: the results are a trial and stay out of docs/bench. */
  custom: boolean;
}

/**
 * 50 events/s of 1 KiB as in `standard`; subscribers double from 125 (long polling is over the
 * limit at 250 on a 2-core box). On that box every mechanism crossed by 2 000 and the ramp took
 * about four minutes; the cap of 8 000 bounds it on a faster machine.
 */
export const DEFAULT_RAMP: RampPlan = {
  mechanisms: ['sse', 'websocket', 'streaming', 'long-polling'],
  steps: [125, 250, 500, 1000, 2000, 4000, 8000],
  rate: 50,
  payloadBytes: 1024,
  stepSeconds: 8,
  p99LimitMs: 250,
  custom: false,
};

export interface RampStep {
  subscribers: number;
  /** p99 over the limit, events lost or late (still missing after the drain), or the step failed. */
  over: boolean;
  result?: MechanismResult;
  /** Why the step has no result, e.g. the subscribers could not all connect. */
  error?: string;
  /** 2 when the first try was over the limit and the step ran again (the result is the better). */
  tries?: number;
}

export interface MechanismRamp {
  mechanism: MechanismId;
  steps: RampStep[];
  /** Subscribers at the last step under the limit and at the first over it (null: none). */
  knee: { lastUnder: number | null; firstOver: number | null };
}

/** `--only=sse,websocket --steps=250,500 --seconds=4` narrow the plan for a trial run. */
export function rampPlan(flags: string[]): RampPlan {
  const flag = (name: string) =>
    flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
  const list = (value: string) => value.split(',').filter(Boolean);
  const only = flag('only');
  const steps = flag('steps');
  const seconds = flag('seconds');
  return {
    ...DEFAULT_RAMP,
    ...(only ? { mechanisms: list(only) as MechanismId[] } : {}),
    ...(steps ? { steps: list(steps).map(Number) } : {}),
    ...(seconds ? { stepSeconds: Number(seconds) } : {}),
    custom: Boolean(only ?? steps ?? seconds),
  };
}

function stepScenario(plan: RampPlan, subscribers: number): Scenario {
  return {
    name: `ramp-${subscribers}`,
    subscribers: Object.fromEntries(MECHANISM_IDS.map((id) => [id, subscribers])) as Record<
      MechanismId,
      number
    >,
    clientSubscribers: Object.fromEntries(MECHANISM_IDS.map((id) => [id, 0])) as Record<
      MechanismId,
      number
    >,
    baselines: false,
    peers: false,
    queues: false,
    drainSeconds: 5,
    rate: plan.rate,
    payloadBytes: plan.payloadBytes,
    seconds: plan.stepSeconds,
    // One load process per 1 000 subscribers (at least two), like `standard`'s 500 per process
    // within a factor of two, so no single client event loop holds everything.
    processes: Math.max(2, Math.ceil(subscribers / 1000)),
    pollIntervalMs: 500,
    throughputJobs: 0,
  };
}

async function runStep(
  plan: RampPlan,
  mechanism: MechanismId,
  subscribers: number,
  pins: Pinning,
): Promise<RampStep> {
  try {
    const result = await runMechanism(mechanism, stepScenario(plan, subscribers), pins);
    const over = result.latencyMs.p99 > plan.p99LimitMs || result.lost > 0 || result.late > 0;
    return { subscribers, over, result };
  } catch (error) {
    return {
      subscribers,
      over: true,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

const describe = ({ result, error }: RampStep) =>
  result
    ? `p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, lost ${result.lost}, late ${result.late}, ` +
      `server ${Math.round(result.cpu.serverCpuShare * 100)} %, load ${Math.round(result.cpu.loadCpuShare * 100)} % (saturated: ${result.cpu.saturated})`
    : `failed: ${error}`;

/** The try under the limit if there is one, else the one with the lower p99. */
const better = (a: RampStep, b: RampStep) =>
  a.over !== b.over
    ? a.over
      ? b
      : a
    : (b.result?.latencyMs.p99 ?? Infinity) < (a.result?.latencyMs.p99 ?? Infinity)
      ? b
      : a;

async function timedStep(
  plan: RampPlan,
  mechanism: MechanismId,
  subscribers: number,
  pins: Pinning,
): Promise<RampStep> {
  const started = Date.now();
  const step = await runStep(plan, mechanism, subscribers, pins);
  console.error(
    `  ${mechanism} × ${subscribers}: ${describe(step)} (${((Date.now() - started) / 1000).toFixed(0)} s)${step.over ? ' — over the limit' : ''}`,
  );
  return step;
}

export async function runRamp(plan: RampPlan, pins: Pinning): Promise<MechanismRamp[]> {
  const ramps: MechanismRamp[] = [];
  for (const mechanism of plan.mechanisms) {
    const steps: RampStep[] = [];
    for (const subscribers of plan.steps) {
      let step = await timedStep(plan, mechanism, subscribers, pins);
      // One stall (a GC pause, a neighbour on the machine) can put a short step's p99 over the
      // limit: a step counts as over only when a second try is over too.
      if (step.over && step.result) {
        const retry = await timedStep(plan, mechanism, subscribers, pins);
        step = { ...better(step, retry), tries: 2 };
      }
      steps.push(step);
      if (step.over) break;
    }
    const firstOver = steps.find((s) => s.over)?.subscribers ?? null;
    const lastUnder = steps.filter((s) => !s.over).at(-1)?.subscribers ?? null;
    ramps.push({ mechanism, steps, knee: { lastUnder, firstOver } });
  }
  return ramps;
}
